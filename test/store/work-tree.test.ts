import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RepositoryError } from '../../lib/errors/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { fsck, git, temporaryDir } from './real-git.ts';

const root = temporaryDir('work-tree');
const author = { name: 'kubesnap', email: 'kubesnap@example.com', timestamp: 1_800_000_000 };

function status(dir: string): string {
  return git(dir, ['status', '--porcelain', '--untracked-files=all']).trim();
}

async function refusedAsDirty(
  repo: SnapshotRepository,
  changes: Array<{ path: string; content: string | null }>,
  path: string,
): Promise<void> {
  try {
    await repo.commitChanges(changes, { message: 'refused', author });
    assert.unreachable('the commit should be refused');
  } catch (error) {
    assert.instance(error, RepositoryError);
    assert.match((error as Error).message, /uncommitted changes/);
    assert.ok((error as Error).message.includes(path), (error as Error).message);
  }
}

test('a clone with a work tree: files and index follow each commit, git status stays clean', async () => {
  const dir = join(root, 'clone');
  git(root, ['init', '-q', '-b', 'main', dir]);
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs', 'notes.md'), 'by hand\n');
  writeFileSync(join(dir, 'README.md'), 'by git\n');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'made with git']);

  const repo = await SnapshotRepository.open(dir);
  assert.is(repo.bare, false);
  const first = await repo.commitChanges(
    [
      { path: 'shop/configmaps/a.yaml', content: 'a: 1\n' },
      { path: 'shop/configmaps/b.yaml', content: 'b: 1\n' },
      { path: 'README.md', content: 'by kubesnap\n' },
    ],
    { message: 'snapshot', author },
  );
  assert.ok(first);
  assert.is(status(dir), '');
  assert.is(readFileSync(join(dir, 'shop', 'configmaps', 'a.yaml'), 'utf8'), 'a: 1\n');
  assert.is(readFileSync(join(dir, 'README.md'), 'utf8'), 'by kubesnap\n');
  assert.is(git(dir, ['rev-parse', 'HEAD']).trim(), first.commit);

  await repo.commitChanges(
    [
      { path: 'shop/configmaps/a.yaml', content: null },
      { path: 'shop/configmaps/b.yaml', content: null },
      { path: 'other/services/c.yaml', content: 'c: 1\n' },
    ],
    { message: 'deletions', author },
  );
  assert.is(status(dir), '');
  assert.not.ok(existsSync(join(dir, 'shop')), 'a folder left empty is removed');
  assert.is(readFileSync(join(dir, 'docs', 'notes.md'), 'utf8'), 'by hand\n');
  assert.is(git(dir, ['ls-files']).trim(), 'README.md\ndocs/notes.md\nother/services/c.yaml');
  git(dir, ['diff', '--quiet', 'HEAD']);
  fsck(dir);
});

test('uncommitted changes to a path about to change are refused; other local changes are left alone', async () => {
  const dir = join(root, 'dirty');
  const repo = await SnapshotRepository.open(dir, { bare: false });
  await repo.commitChanges(
    [
      { path: 'ns/a.yaml', content: 'a\n' },
      { path: 'ns/b.yaml', content: 'b\n' },
    ],
    { message: 'first', author },
  );
  assert.is(status(dir), '');
  const head = await repo.head();

  writeFileSync(join(dir, 'ns', 'a.yaml'), 'edited by hand\n');
  await refusedAsDirty(repo, [{ path: 'ns/a.yaml', content: 'a2\n' }], 'ns/a.yaml');
  await refusedAsDirty(repo, [{ path: 'ns/a.yaml', content: null }], 'ns/a.yaml');
  assert.is(await repo.head(), head);
  assert.is(readFileSync(join(dir, 'ns', 'a.yaml'), 'utf8'), 'edited by hand\n');

  // A change elsewhere goes through and leaves the edit alone.
  await repo.commitChanges([{ path: 'ns/b.yaml', content: 'b2\n' }], { message: 'b only', author });
  assert.is(status(dir), 'M ns/a.yaml');

  git(dir, ['checkout', '--', 'ns/a.yaml']);
  writeFileSync(join(dir, 'ns', 'a.yaml'), 'staged\n');
  git(dir, ['add', 'ns/a.yaml']);
  writeFileSync(join(dir, 'ns', 'a.yaml'), 'a\n');
  await refusedAsDirty(repo, [{ path: 'ns/a.yaml', content: 'a3\n' }], 'ns/a.yaml');
  git(dir, ['reset', '-q', 'ns/a.yaml']);

  // An edit of the same size right after kubesnap wrote the file: same stat data, still caught.
  await repo.commitChanges([{ path: 'ns/b.yaml', content: 'b3\n' }], { message: 'b again', author });
  writeFileSync(join(dir, 'ns', 'b.yaml'), 'bX\n');
  await refusedAsDirty(repo, [{ path: 'ns/b.yaml', content: 'b4\n' }], 'ns/b.yaml');
  git(dir, ['checkout', '--', 'ns/b.yaml']);

  writeFileSync(join(dir, 'ns', 'new.yaml'), 'untracked\n');
  await refusedAsDirty(repo, [{ path: 'ns/new.yaml', content: 'from the cluster\n' }], 'ns/new.yaml');
  writeFileSync(join(dir, 'ns', 'new.yaml'), 'from the cluster\n');
  await repo.commitChanges([{ path: 'ns/new.yaml', content: 'from the cluster\n' }], {
    message: 'same bytes as the untracked file',
    author,
  });
  assert.is(status(dir), '');
});

test('a work tree on another branch is not touched', async () => {
  const dir = join(root, 'other-branch');
  git(root, ['init', '-q', '-b', 'main', dir]);
  writeFileSync(join(dir, 'x.txt'), 'x\n');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'x']);
  const repo = await SnapshotRepository.open(dir, { branch: 'kubesnap' });
  const result = await repo.commitChanges([{ path: 'ns/a.yaml', content: 'a\n' }], { message: 'own branch', author });
  assert.is(git(dir, ['rev-parse', 'kubesnap']).trim(), result?.commit);
  assert.not.ok(existsSync(join(dir, 'ns')));
  assert.is(status(dir), '');
  fsck(dir);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
