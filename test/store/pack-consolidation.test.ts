import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hashObject, SnapshotRepository } from '../../lib/store/index.ts';
import { countObjects, fsck, git, runGit, temporaryDir } from './real-git.ts';

const root = temporaryDir('consolidation');
const author = { name: 'kubesnap', email: 'kubesnap@example.com', timestamp: 1_800_000_000 };
/** More packs than this after a commit are merged (lib/store/pack-consolidation.ts). */
const PACK_LIMIT = 8;

/** What each commit should hold: path → content. */
type History = Array<{ commit: string; tree: string; files: Map<string, string> }>;

const pathOf = (i: number) => `ns-${i % 7}/configmaps/cm-${i}.yaml`;
const contentOf = (i: number, round: number) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  round: "${round}"\n${'  padding: xxxxxxxxxxxxxxxx\n'.repeat(40)}`;

function packNames(dir: string): string[] {
  return readdirSync(join(dir, 'objects', 'pack'))
    .filter((name) => name.endsWith('.idx'))
    .map((name) => name.slice(0, -4));
}

/** Commits `count` changed files (more than 100 objects: one pack), starting at file `first`. */
async function commitRound(
  repo: SnapshotRepository,
  history: History,
  round: number,
  count = 150,
  first = 0,
): Promise<void> {
  const files = new Map(history.at(-1)?.files);
  const changes = Array.from({ length: count }, (_, k) => {
    const i = first + ((round * 37 + k) % 300);
    files.set(pathOf(i), contentOf(i, round));
    return { path: pathOf(i), content: contentOf(i, round) };
  });
  const result = await repo.commitChanges(changes, { message: `round ${round}`, author });
  assert.ok(result);
  history.push({ commit: result.commit, tree: result.tree, files });
}

/** Commits these files as one commit on top of the last of `history`. */
async function commitFiles(
  repo: SnapshotRepository,
  history: History,
  changes: Array<{ path: string; content: string }>,
  message: string,
): Promise<void> {
  const files = new Map(history.at(-1)?.files);
  for (const { path, content } of changes) files.set(path, content);
  const result = await repo.commitChanges(
    changes.map(({ path, content }) => ({ path, content: Buffer.from(content, 'latin1') })),
    { message, author },
  );
  assert.ok(result);
  history.push({ commit: result.commit, tree: result.tree, files });
}

/** Every commit's files, read by `reader` and by git; fsck; every pack verified; no object stored twice. */
async function checkHistory(dir: string, history: History, reader?: SnapshotRepository): Promise<void> {
  const repo = reader ?? (await SnapshotRepository.open(dir));
  for (const { commit, files } of history) {
    const stored = await repo.readFiles(commit);
    assert.equal([...stored.keys()].sort(), [...files.keys()].sort());
    for (const [path, content] of files)
      assert.is((await repo.readBlob(stored.get(path)!)).toString(), content, `${path} at ${commit}`);
  }
  const last = history.at(-1)!;
  assert.is(git(dir, ['rev-parse', 'HEAD']).trim(), last.commit);
  assert.is(git(dir, ['rev-parse', 'HEAD^{tree}']).trim(), last.tree);
  const [path, content] = [...last.files][0];
  assert.is(git(dir, ['show', `HEAD:${path}`]), content);
  fsck(dir);
  for (const name of packNames(dir)) git(dir, ['verify-pack', join('objects', 'pack', `${name}.idx`)]);
  const unique = git(dir, ['cat-file', '--batch-all-objects', '--batch-check']).trim().split('\n');
  const stored = countObjects(dir);
  assert.is(stored.packed + stored.loose, unique.length, 'no object is stored twice');
}

/** The bases of a pack's deltas, one per delta, as `git verify-pack -v` lists them (a delta's line ends with its base). */
function deltaBases(dir: string, pack: string): string[] {
  const lines = git(dir, ['verify-pack', '-v', join('objects', 'pack', `${pack}.idx`)]).split('\n');
  return lines.flatMap((line) => /^[0-9a-f]{40} \w+\s+\d+ \d+ \d+ \d+ ([0-9a-f]{40})$/.exec(line)?.[1] ?? []);
}

test('a commit that leaves more than 8 packs merges the smallest: few packs, each object once, all of it readable', async () => {
  const dir = join(root, 'many.git');
  const repo = await SnapshotRepository.open(dir);
  const history: History = [];
  const counts: number[] = [];
  for (let round = 0; round < 40; round++) {
    await commitRound(repo, history, round);
    counts.push(packNames(dir).length);
  }
  assert.ok(Math.max(...counts) <= PACK_LIMIT, `pack counts after each commit: ${counts.join(' ')}`);
  assert.ok(counts.filter((count, i) => count < counts[i - 1]).length >= 4, `merges happened: ${counts.join(' ')}`);
  // Most commits merge nothing: the count goes up by one.
  assert.ok(counts.filter((count, i) => count === counts[i - 1] + 1).length >= 30, `pack counts: ${counts.join(' ')}`);
  await checkHistory(dir, history);
});

test('packs git made with deltas (OFS_DELTA, REF_DELTA) are merged with their deltas kept, and read back', async () => {
  for (const [label, config] of [
    ['ofs', []],
    ['ref', ['-c', 'repack.useDeltaBaseOffset=false']],
  ] as const) {
    const dir = join(root, `deltas-${label}.git`);
    const repo = await SnapshotRepository.open(dir);
    const history: History = [];
    // Small commits of files that differ by one line: loose objects, which git deltifies against each other.
    for (let round = 0; round < 6; round++) await commitRound(repo, history, round, 20);
    git(dir, [...config, 'repack', '-adfq']);
    const [gitPack] = packNames(dir);
    const bases = deltaBases(dir, gitPack);
    assert.ok(bases.length > 50, `git's pack holds deltas (${bases.length})`);
    // A smaller pack that holds a base too: its copy is the one kept, and the deltas on it point there.
    git(dir, ['pack-objects', '-q', join('objects', 'pack', 'pack')], {}, `${bases[0]}\n`);
    for (let round = 6; packNames(dir).includes(gitPack); round++) {
      assert.ok(round < 20, "git's pack is merged once there are more than 8 packs");
      await commitRound(repo, history, round, 150, 1000);
    }
    const [merged] = packNames(dir)
      .map((name) => ({ name, deltas: deltaBases(dir, name).length }))
      .filter((pack) => pack.deltas > 0);
    assert.is(merged?.deltas, bases.length, 'every delta was copied as a delta');
    assert.not.ok(
      readdirSync(join(dir, 'objects', 'pack')).some((name) => name.startsWith(gitPack)),
      "none of git's pack files is left",
    );
    await checkHistory(dir, history);
  }
});

/** A pack entry header: kind and size, as git's pack format spells them. */
function entryHeader(kind: number, size: number): Buffer {
  const bytes = [(kind << 4) | (size & 15)];
  for (let rest = Math.floor(size / 16); rest > 0; rest = Math.floor(rest / 128)) {
    bytes[bytes.length - 1] |= 0x80;
    bytes.push(rest & 0x7f);
  }
  return Buffer.from(bytes);
}

/** A delta that copies all of a base shorter than 64 KB and appends `tail` (shorter than 128 bytes). */
function appendingDelta(base: Buffer, tail: Buffer): Buffer {
  const size = (value: number) => {
    const bytes: number[] = [];
    for (; value >= 0x80; value = Math.floor(value / 128)) bytes.push((value & 0x7f) | 0x80);
    return [...bytes, value];
  };
  const copyAll = [0x80 | 0x10 | 0x20, base.length & 0xff, base.length >> 8];
  return Buffer.from([...size(base.length), ...size(base.length + tail.length), ...copyAll, tail.length, ...tail]);
}

/** Writes a pack of one REF_DELTA entry and its .idx v2 by hand: git itself never stores a pack this thin. */
function writeThinPack(dir: string, id: string, baseId: string, delta: Buffer): string {
  const entry = Buffer.concat([entryHeader(7, delta.length), Buffer.from(baseId, 'hex'), deflateSync(delta)]);
  const header = Buffer.alloc(12);
  header.write('PACK', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(1, 8);
  const body = Buffer.concat([header, entry]);
  const packChecksum = createHash('sha1').update(body).digest();
  const fanout = Buffer.alloc(1024);
  for (let byte = parseInt(id.slice(0, 2), 16); byte < 256; byte++) fanout.writeUInt32BE(1, byte * 4);
  const table = Buffer.alloc(8);
  table.writeUInt32BE(crc32(entry), 0);
  table.writeUInt32BE(12, 4);
  const index = Buffer.concat([
    Buffer.from([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]),
    fanout,
    Buffer.from(id, 'hex'),
    table,
    packChecksum,
  ]);
  const name = `pack-${packChecksum.toString('hex')}`;
  writeFileSync(join(dir, 'objects', 'pack', `${name}.pack`), Buffer.concat([body, packChecksum]));
  writeFileSync(
    join(dir, 'objects', 'pack', `${name}.idx`),
    Buffer.concat([index, createHash('sha1').update(index).digest()]),
  );
  return name;
}

test('a REF_DELTA whose base is in no merged pack (a thin pack) is written whole, so that git can read it', async () => {
  const dir = join(root, 'thin.git');
  const repo = await SnapshotRepository.open(dir);
  const history: History = [];
  await commitRound(repo, history, 0);
  const base = Buffer.from('a base in no pack\n'.repeat(10));
  const thin = Buffer.concat([base, Buffer.from('  thin: "yes"\n')]);
  const thinId = hashObject('blob', thin);
  // The base is loose, in no pack: a commit of a few objects.
  await repo.commitChanges([{ path: 'base.yaml', content: base }], { message: 'base', author });
  const thinPack = writeThinPack(
    dir,
    thinId,
    hashObject('blob', base),
    appendingDelta(base, Buffer.from('  thin: "yes"\n')),
  );
  assert.is((await repo.readBlob(thinId)).toString(), thin.toString(), 'our reader finds a base anywhere');
  assert.is.not(runGit(dir, ['cat-file', 'blob', thinId]).status, 0, "git reads a base from its delta's pack only");
  for (let round = 1; packNames(dir).includes(thinPack); round++) {
    assert.ok(round < 20, 'the thin pack is merged');
    await commitRound(repo, history, round);
  }
  assert.is(git(dir, ['cat-file', 'blob', thinId]), thin.toString());
  for (const name of packNames(dir)) git(dir, ['verify-pack', join('objects', 'pack', `${name}.idx`)]);
  fsck(dir);
});

test('a reader opened before a merge reads everything after it, from the packs it had open and from the new one', async () => {
  const dir = join(root, 'reader.git');
  const writer = await SnapshotRepository.open(dir);
  const history: History = [];
  for (let round = 0; round < 4; round++) await commitRound(writer, history, round);
  const reader = await SnapshotRepository.open(dir);
  assert.is((await reader.readFiles()).size, history.at(-1)!.files.size);
  const before = packNames(dir);
  for (let round = 4; before.some((name) => packNames(dir).includes(name)); round++) {
    assert.ok(round < 20, 'the packs the reader opened are merged');
    await commitRound(writer, history, round);
  }
  await checkHistory(dir, history, reader);
});

test('a merge of 20,000 objects or more runs on a thread of its own: commits and reads go on, close() waits for it', async () => {
  const dir = join(root, 'threaded.git');
  const repo = await SnapshotRepository.open(dir);
  const history: History = [];
  // Nine packs of 2,316 objects (2,300 blobs, their trees, the commit): the ninth commit merges all nine.
  for (let round = 0; round < 9; round++) {
    const changes = Array.from({ length: 2300 }, (_, k) => ({
      path: pathOf(round * 2300 + k),
      content: contentOf(round * 2300 + k, round),
    }));
    await commitFiles(repo, history, changes, `round ${round}`);
  }
  assert.is(packNames(dir).length, 9, 'the committing thread did not merge them');
  const threadsBefore = threadCount();
  await commitRound(repo, history, 9, 150, 30_000);
  assert.is((await repo.readFiles()).size, history.at(-1)!.files.size);
  await until(() => packNames(dir).length === 2, 'the merge never ended');
  // The merge's thread kept ~100 bytes an object merged until the process ended (figure 7): it stops when idle.
  await until(() => threadCount() <= threadsBefore, 'the merge thread still runs after the merge');
  await repo.close();
  assert.is(packNames(dir).length, 2, 'the merged pack and the one committed meanwhile');
  await checkHistory(dir, [history[0], history.at(-1)!]);
});

/** The threads of this process (a worker thread adds some). */
const threadCount = () => readdirSync('/proc/self/task').length;

async function until(condition: () => boolean, failure: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 30_000) assert.unreachable(failure);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('packs bigger than the window a merge reads at a time (8 MB), and an entry bigger than it, merge whole', async () => {
  const dir = join(root, 'big-packs.git');
  const repo = await SnapshotRepository.open(dir);
  const history: History = [];
  // Random bytes do not deflate: nine packs of ~10 MB, the first with a 9 MB blob.
  for (let round = 0; round < 9; round++) {
    const changes = Array.from({ length: 101 }, (_, k) => ({
      path: `round-${round}/file-${k}.txt`,
      content: randomBytes(round === 0 && k === 0 ? 9 << 20 : 100 << 10).toString('latin1'),
    }));
    await commitFiles(repo, history, changes, `round ${round}`);
  }
  await repo.close();
  assert.is(packNames(dir).length, 1);
  const reader = await SnapshotRepository.open(dir);
  const stored = await reader.readFiles();
  for (const [path, content] of history.at(-1)!.files)
    assert.ok((await reader.readBlob(stored.get(path)!)).equals(Buffer.from(content, 'latin1')), path);
  fsck(dir);
});

test('a merge stopped before the old packs are deleted, or between an index and its pack, leaves a valid repository', async () => {
  const dir = join(root, 'interrupted.git');
  const repo = await SnapshotRepository.open(dir);
  const history: History = [];
  for (let round = 0; packNames(dir).length < PACK_LIMIT; round++) await commitRound(repo, history, round);
  const packDir = join(dir, 'objects', 'pack');
  const saved = join(root, 'saved-packs');
  mkdirSync(saved);
  const old = packNames(dir);
  for (const name of readdirSync(packDir)) copyFileSync(join(packDir, name), join(saved, name));
  // Bigger than the others, so that it is merged last, again when the merge is done over.
  await commitRound(repo, history, 100, 250);
  const [merged, ...others] = packNames(dir);
  assert.is(others.length, 0, 'the commit merged every pack into one');
  const restore = (name: string, extension: string) =>
    copyFileSync(join(saved, name + extension), join(packDir, name + extension));

  // Stopped before deleting anything: every object is in two packs.
  for (const name of old) for (const extension of ['.pack', '.idx']) restore(name, extension);
  const fresh = await SnapshotRepository.open(dir);
  for (const { commit, files } of history) assert.is((await fresh.readFiles(commit)).size, files.size);
  fsck(dir);
  // A commit of a few (loose) objects finds 9 packs and merges them again, into the very pack it already has.
  await fresh.commitChanges([{ path: 'small.yaml', content: 'small\n' }], { message: 'small', author });
  history.push({
    ...history.at(-1)!,
    ...(await fresh.log({ limit: 1 }).then(([entry]) => ({ commit: entry.commit, tree: entry.tree }))),
  });
  history.at(-1)!.files = new Map([...history.at(-2)!.files, ['small.yaml', 'small\n']]);
  assert.equal(packNames(dir), [merged]);
  await checkHistory(dir, history);

  // Stopped after deleting an index and before deleting its pack: a .pack without an index, which git only warns of.
  restore(old[0], '.pack');
  await checkHistory(dir, history);
});

test("once there are about 6,700 loose objects (git's estimate, gc.auto), a commit packs them and deletes them", async () => {
  const dir = join(root, 'loose.git');
  const repo = await SnapshotRepository.open(dir);
  const history: History = [];
  let mostLoose = 0;
  // Commits of 60 files: fewer than 100 objects each, written loose.
  for (let round = 0; packNames(dir).length === 0; round++) {
    assert.ok(round < 200, 'the loose objects are packed');
    mostLoose = Math.max(mostLoose, countObjects(dir).loose);
    await commitRound(repo, history, round, 60);
  }
  assert.ok(mostLoose > 6000, `${mostLoose} loose objects at the most`);
  assert.is(countObjects(dir).loose, 0);
  await checkHistory(
    dir,
    history.filter((_, i) => i % 10 === 0 || i === history.length - 1),
  );
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
