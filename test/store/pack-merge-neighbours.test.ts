// kubesnap's pack merging (lib/store/pack-consolidation.ts, compaction.ts) beside what git keeps in objects/pack:
// kept and promisor packs, the multi-pack-index, and a merge on its thread that fails.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KubesnapError } from '../../lib/errors/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { fsck, git, runGit, temporaryDir } from './real-git.ts';

const root = temporaryDir('merge-neighbours');
const author = { name: 'kubesnap', email: 'kubesnap@example.com' };

const pathOf = (i: number) => `ns-${i % 7}/configmaps/cm-${i}.yaml`;
const contentOf = (i: number, round: number) => `kind: ConfigMap\nname: cm-${i}\nround: ${round}\n`;

/** The packs of a repository by name (without extension), smallest file first. */
function packNames(dir: string): string[] {
  const packDir = join(dir, 'objects', 'pack');
  return readdirSync(packDir)
    .filter((name) => name.endsWith('.idx'))
    .map((name) => name.slice(0, -4))
    .sort(
      (a, b) =>
        readFileSync(join(packDir, `${a}.idx`)).length - readFileSync(join(packDir, `${b}.idx`)).length ||
        (a < b ? -1 : 1),
    );
}

/** Commits `count` new files (a pack of their blobs, trees and the commit); returns every file committed so far. */
async function commitPack(
  repo: SnapshotRepository,
  files: Map<string, string>,
  round: number,
  count: number,
): Promise<void> {
  const changes = Array.from({ length: count }, (_, k) => {
    const i = files.size + k;
    return { path: pathOf(i), content: contentOf(i, round) };
  });
  for (const { path, content } of changes) files.set(path, content);
  assert.ok(await repo.commitChanges(changes, { message: `round ${round}`, author }));
}

/** fsck, and every file of HEAD read back by a new instance with the content committed. */
async function checkAll(dir: string, files: Map<string, string>): Promise<void> {
  fsck(dir);
  const reader = await SnapshotRepository.open(dir, { create: false });
  const stored = await reader.readFiles();
  assert.is(stored.size, files.size);
  for (const [path, content] of files) assert.is((await reader.readBlob(stored.get(path)!)).toString(), content, path);
  await reader.close();
}

test('a merge leaves packs with a .keep or a .promisor file as they are, and merges the others', async () => {
  const dir = join(root, 'kept.git');
  const repo = await SnapshotRepository.open(dir);
  const files = new Map<string, string>();
  for (let round = 0; round < 3; round++) await commitPack(repo, files, round, 150);
  const [kept, promisor] = packNames(dir);
  const packDir = join(dir, 'objects', 'pack');
  writeFileSync(join(packDir, `${kept}.keep`), 'kept by the user\n');
  writeFileSync(join(packDir, `${promisor}.promisor`), '');
  const bytesOf = (name: string) => readFileSync(join(packDir, `${name}.pack`));
  const before = { kept: bytesOf(kept), promisor: bytesOf(promisor) };
  for (let round = 3; round < 12; round++) await commitPack(repo, files, round, 150);
  await repo.close();
  const after = packNames(dir);
  assert.ok(after.length <= 4, `merged: ${after.length} packs left`);
  assert.ok(after.includes(kept) && after.includes(promisor));
  assert.ok(bytesOf(kept).equals(before.kept));
  assert.ok(bytesOf(promisor).equals(before.promisor));
  assert.is(readFileSync(join(packDir, `${kept}.keep`), 'utf8'), 'kept by the user\n');
  await checkAll(dir, files);
});

test('a merge of packs a multi-pack-index names removes it with its bitmap: git multi-pack-index verify and fsck pass', async () => {
  const dir = join(root, 'midx.git');
  const repo = await SnapshotRepository.open(dir);
  const files = new Map<string, string>();
  for (let round = 0; round < 6; round++) await commitPack(repo, files, round, 150);
  git(dir, ['multi-pack-index', 'write', '--bitmap']);
  const packDir = join(dir, 'objects', 'pack');
  assert.ok(
    readdirSync(packDir).some((name) => /^multi-pack-index-[0-9a-f]+\.bitmap$/.test(name)),
    'git wrote a bitmap',
  );
  git(dir, ['multi-pack-index', 'verify']);
  for (let round = 6; round < 12; round++) await commitPack(repo, files, round, 150);
  await repo.close();
  assert.equal(
    readdirSync(packDir).filter((name) => name.startsWith('multi-pack-index')),
    [],
  );
  git(dir, ['multi-pack-index', 'verify']);
  await checkAll(dir, files);
  // git writes it again over the packs there are now, and reads through it.
  git(dir, ['multi-pack-index', 'write']);
  git(dir, ['multi-pack-index', 'verify']);
  await checkAll(dir, files);
});

test('a merge that fails on its thread loses nothing, says why, and the next commit merges', async () => {
  const dir = join(root, 'failed-merge.git');
  const repo = await SnapshotRepository.open(dir);
  const files = new Map<string, string>();
  // Nine packs of 2,300 files: together more than the 20,000 objects a merge needs to run on its thread.
  for (let round = 0; round < 9; round++) await commitPack(repo, files, round, 2300);
  // A second copy of one pack's objects, made by git: deleting the first loses nothing.
  const [copied] = packNames(dir);
  const ids = git(dir, ['verify-pack', '-v', join('objects', 'pack', `${copied}.idx`)]).match(/^[0-9a-f]{40}(?= )/gm)!;
  // Compressed anew (git would copy the entries as they are, into a pack of the same bytes and name).
  const copy = runGit(
    dir,
    ['pack-objects', '-q', '--no-reuse-object', join('objects', 'pack', 'pack')],
    {},
    `${ids.join('\n')}\n`,
  );
  assert.is(copy.status, 0, copy.stderr);
  assert.is.not(copy.stdout.trim(), copied.slice('pack-'.length));
  assert.is(repo.compactionFailure, undefined);

  await commitPack(repo, files, 9, 150);
  // The merge thread is starting: the pack it is asked to merge goes away (as when git repacks meanwhile).
  for (const extension of ['.idx', '.pack']) rmSync(join(dir, 'objects', 'pack', copied + extension));
  await repo.close();
  assert.instance(repo.compactionFailure, KubesnapError, 'a KubesnapError: one sentence for whoever reports it');
  assert.match(repo.compactionFailure!.message, /removed from the repository/);
  assert.ok(packNames(dir).length > 8, 'nothing was merged');
  await checkAll(dir, files);

  await commitPack(repo, files, 10, 150);
  await repo.close();
  assert.is(repo.compactionFailure, undefined);
  assert.ok(packNames(dir).length <= 2, `${packNames(dir).length} packs after the next merge`);
  await checkAll(dir, files);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
