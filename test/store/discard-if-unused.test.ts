import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { git, temporaryDir } from './real-git.ts';

const root = temporaryDir('discard-if-unused');
const author = { name: 'kubesnap', email: 'kubesnap@example.com', timestamp: 1_800_000_000, timezoneOffset: 0 };

test('a repository open() created and nothing was committed to is taken away, leaving the folder as it was', async () => {
  const parent = join(root, 'made', 'by', 'open');
  const repository = await SnapshotRepository.open(parent);
  await repository.discardIfUnused();
  assert.not.ok(existsSync(join(root, 'made')));

  mkdirSync(join(root, 'empty'));
  const inEmpty = await SnapshotRepository.open(join(root, 'empty'), { bare: false });
  await inEmpty.discardIfUnused();
  assert.equal(readdirSync(join(root, 'empty')), []);
});

test('a repository with a commit, or one open() did not create, is left', async () => {
  const dir = join(root, 'committed.git');
  const repository = await SnapshotRepository.open(dir);
  await repository.commitChanges([{ path: 'a.yaml', content: 'a: 1\n' }], { message: 'first', author });
  await repository.discardIfUnused();
  assert.ok(existsSync(join(dir, 'HEAD')));

  const existing = join(root, 'existing.git');
  git(root, ['init', '--bare', '-q', existing]);
  await (await SnapshotRepository.open(existing)).discardIfUnused();
  assert.ok(existsSync(join(existing, 'HEAD')));
});

test('a repository made in place of the one open() created (moved away, or deleted, then made again) is not taken away', async () => {
  const moved = join(root, 'moved.git');
  const ours = await SnapshotRepository.open(moved);
  renameSync(moved, `${moved}.old`);
  git(root, ['init', '--bare', '-q', moved]);
  await ours.discardIfUnused();
  assert.ok(existsSync(join(moved, 'HEAD')), 'the repository made in place of ours is still there');
  assert.ok(existsSync(join(`${moved}.old`, 'HEAD')), 'ours, moved away, is not looked for elsewhere');

  // The same shape as ours, made by another run of kubesnap: only the git folder's identity tells them apart.
  const replaced = join(root, 'replaced.git');
  const first = await SnapshotRepository.open(replaced);
  const birth = statSync(replaced, { bigint: true }).birthtimeNs;
  rmSync(replaced, { recursive: true });
  const second = await SnapshotRepository.open(replaced);
  const sameInode = statSync(replaced, { bigint: true }).ino;
  await first.discardIfUnused();
  if (birth === 0n) console.log(`(no birth times on this file system: the new folder has inode ${sameInode})`);
  assert.ok(existsSync(join(replaced, 'HEAD')), "the second run's repository is still there");
  await second.discardIfUnused();
  assert.not.ok(existsSync(replaced));
});

test('a repository open() created that got a ref meanwhile (a fetch, another writer) is left', async () => {
  const dir = join(root, 'fetched.git');
  const repository = await SnapshotRepository.open(dir);
  const other = join(root, 'other.git');
  git(root, ['init', '--bare', '-q', other]);
  const blob = git(other, ['hash-object', '-w', '--stdin'], {}, 'x\n').trim();
  const tree = git(other, ['mktree'], {}, `100644 blob ${blob}\tx\n`).trim();
  const commit = git(other, ['commit-tree', tree, '-m', 'x'], {
    GIT_AUTHOR_NAME: 'a',
    GIT_AUTHOR_EMAIL: 'a@b',
    GIT_COMMITTER_NAME: 'a',
    GIT_COMMITTER_EMAIL: 'a@b',
  }).trim();
  git(dir, ['fetch', '-q', other, `${commit}:refs/remotes/origin/main`]);
  await repository.discardIfUnused();
  assert.ok(existsSync(join(dir, 'refs', 'remotes', 'origin', 'main')));
});

test.run();
