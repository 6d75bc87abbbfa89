import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RepositoryError } from '../../lib/errors/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { fsck, git, temporaryDir } from './real-git.ts';

const root = temporaryDir('open');

async function refused(dir: string, pattern: RegExp, options?: Parameters<typeof SnapshotRepository.open>[1]): Promise<void> {
  try {
    await SnapshotRepository.open(dir, options);
  } catch (error) {
    assert.instance(error, RepositoryError);
    assert.match((error as Error).message, pattern);
    return;
  }
  assert.unreachable(`opening ${dir} should fail`);
}

test('a missing or empty folder becomes a repository git accepts; opening it again finds it', async () => {
  const created = await SnapshotRepository.open(join(root, 'new.git'));
  assert.is(git(created.gitdir, ['rev-parse', '--is-bare-repository']).trim(), 'true');
  assert.is(git(created.gitdir, ['symbolic-ref', 'HEAD']).trim(), 'refs/heads/main');
  fsck(created.gitdir);
  const again = await SnapshotRepository.open(join(root, 'new.git'), { create: false });
  assert.is(again.gitdir, created.gitdir);

  mkdirSync(join(root, 'empty'));
  const nonBare = await SnapshotRepository.open(join(root, 'empty'), { bare: false, branch: 'snapshots' });
  assert.is(nonBare.bare, false);
  assert.is(nonBare.gitdir, join(root, 'empty', '.git'));
  assert.is(nonBare.branch, 'snapshots');
  assert.is(git(join(root, 'empty'), ['rev-parse', '--is-bare-repository']).trim(), 'false');
  assert.is(git(join(root, 'empty'), ['symbolic-ref', 'HEAD']).trim(), 'refs/heads/snapshots');
});

test('an existing repository keeps its own branch unless one is asked for', async () => {
  const dir = join(root, 'existing');
  git(root, ['init', '-q', '-b', 'develop', dir]);
  const repo = await SnapshotRepository.open(dir);
  assert.is(repo.bare, false);
  assert.is(repo.branch, 'develop');
  assert.is((await SnapshotRepository.open(dir, { branch: 'kubesnap' })).branch, 'kubesnap');
  await refused(dir, /not a valid branch name/, { branch: 'bad..name' });
});

test('a file, a non-empty folder that is not git, a missing folder with create: false, a corrupt HEAD are refused', async () => {
  writeFileSync(join(root, 'file'), 'x');
  await refused(join(root, 'file'), /is a file/);
  mkdirSync(join(root, 'stuff'));
  writeFileSync(join(root, 'stuff', 'notes.txt'), 'x');
  await refused(join(root, 'stuff'), /not a git repository and is not empty/);
  assert.equal(readFileSync(join(root, 'stuff', 'notes.txt'), 'utf8'), 'x');
  await refused(join(root, 'absent'), /no git repository/, { create: false });
  const broken = join(root, 'broken.git');
  git(root, ['init', '-q', '--bare', broken]);
  writeFileSync(join(broken, 'HEAD'), 'garbage\n');
  await refused(broken, /corrupt HEAD/);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
