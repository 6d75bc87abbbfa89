// The store beside git's own maintenance commands, run on the repository between two commits of one instance.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RepositoryError } from '../../lib/errors/index.ts';
import { hashObject, SnapshotRepository } from '../../lib/store/index.ts';
import { git, temporaryDir } from './real-git.ts';

const root = temporaryDir('maintenance');
const author = { name: 'kubesnap', email: 'kubesnap@example.com' };

const configMaps = (from: number, count: number) =>
  Array.from({ length: count }, (_, k) => ({
    path: `shop/configmaps/cm-${from + k}.yaml`,
    content: `kind: ConfigMap\nname: cm-${from + k}\n`,
  }));

async function refused(commit: Promise<unknown>): Promise<void> {
  const error = await commit.then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.instance(error, RepositoryError);
  assert.match((error as Error).message, /main\.lock exists/);
}

/** Every object HEAD reaches is there and sound, and HEAD holds exactly `files`. */
function checkHead(dir: string, files: Array<{ path: string; content: string }>): void {
  git(dir, ['fsck', '--full', '--strict', '--no-progress', '--no-dangling']);
  const listed = git(dir, ['ls-tree', '-r', '--name-only', 'HEAD']).trim().split('\n');
  assert.equal(listed.sort(), files.map((file) => file.path).sort());
  for (const { path, content } of [files[0], files.at(-1)!]) assert.is(git(dir, ['show', `HEAD:${path}`]), content);
}

test('a commit refused at the ref (main.lock), git repack -ad, then the retry: HEAD reaches no missing object', async () => {
  const dir = join(root, 'lock-repack.git');
  const repo = await SnapshotRepository.open(dir);
  // A pack, which the reader keeps open: reading the head commit finds it there and sees no reason to list the packs again.
  const first = configMaps(0, 150);
  await repo.commitChanges(first, { message: 'first', author });
  const lock = join(dir, 'refs', 'heads', 'main.lock');
  writeFileSync(lock, '');
  const burst = configMaps(200, 150);
  await refused(repo.commitChanges(burst, { message: 'burst', author }));
  // Drops the pack of the refused commit: nothing reaches its objects.
  git(dir, ['repack', '-a', '-d', '-q']);
  rmSync(lock);
  const retry = [...burst, ...configMaps(1000, 1)];
  await repo.commitChanges(retry, { message: 'burst, again', author });
  checkHead(dir, [...first, ...retry]);
});

test('a few loose objects of a refused commit, pruned by git prune --expire=now, are written again by the retry', async () => {
  const dir = join(root, 'lock-prune.git');
  const repo = await SnapshotRepository.open(dir);
  const first = configMaps(0, 150);
  await repo.commitChanges(first, { message: 'first', author });
  const lock = join(dir, 'refs', 'heads', 'main.lock');
  writeFileSync(lock, '');
  const few = configMaps(500, 5);
  await refused(repo.commitChanges(few, { message: 'few', author }));
  git(dir, ['prune', '--expire=now']);
  rmSync(lock);
  await repo.commitChanges(few, { message: 'few, again', author });
  checkHead(dir, [...first, ...few]);
});

/** A file whose blob goes into one of `folders` (loose-object fan-out folders, objects/xx). */
function fileWithBlobIn(path: string, folders: string[]): { path: string; content: string } {
  for (let i = 0; ; i++) {
    const content = `kind: ConfigMap\nname: ${path}\nvalue: ${i}\n`;
    if (folders.includes(hashObject('blob', Buffer.from(content)).slice(0, 2))) return { path, content };
  }
}

test('after git gc removes the empty loose-object folders, small commits still write loose objects into them', async () => {
  const dir = join(root, 'gc-folders.git');
  const repo = await SnapshotRepository.open(dir);
  const files = configMaps(0, 5);
  await repo.commitChanges(files, { message: 'first', author });
  const fanOutFolders = () => readdirSync(join(dir, 'objects')).filter((name) => /^[0-9a-f]{2}$/.test(name));
  const written = fanOutFolders();
  git(dir, ['gc', '-q']);
  assert.equal(fanOutFolders(), [], 'prune-packed removed every folder it emptied');
  for (let round = 1; round <= 3; round++) {
    files.push(fileWithBlobIn(`shop/configmaps/after-gc-${round}.yaml`, written));
    assert.ok(await repo.commitChanges(files, { message: `round ${round}`, author }));
  }
  checkHead(dir, files);
});

test('objects deleted just after their commit moved the branch (a prune or repack that read the refs before) are written again by the next commit', async () => {
  const dir = join(root, 'late-delete.git');
  const repo = await SnapshotRepository.open(dir);
  const files = configMaps(0, 150);
  await repo.commitChanges(files, { message: 'a pack', author });
  files.push(...configMaps(500, 3));
  await repo.commitChanges(files, { message: 'loose objects', author });
  for (const folder of readdirSync(join(dir, 'objects')).filter((name) => /^[0-9a-f]{2}$/.test(name)))
    rmSync(join(dir, 'objects', folder), { recursive: true });
  files.push(...configMaps(600, 1));
  await repo.commitChanges(files, { message: 'next', author });
  checkHead(dir, files);

  const packsBefore = readdirSync(join(dir, 'objects', 'pack'));
  files.push(...configMaps(1000, 150));
  await repo.commitChanges(files, { message: 'another pack', author });
  for (const name of readdirSync(join(dir, 'objects', 'pack')))
    if (!packsBefore.includes(name)) rmSync(join(dir, 'objects', 'pack', name));
  files.push(...configMaps(2000, 1));
  await repo.commitChanges(files, { message: 'next', author });
  checkHead(dir, files);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
