// A pack index keeps only the fan-out and a 4-byte prefix of each id in memory and reads the rest from its file: every
// answer must still be git's, for a pack git wrote (with deltas) and for an index with 64-bit offsets and ids that
// share their first four bytes.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ObjectReader } from '../../lib/store/object-reader.ts';
import { PackIndex } from '../../lib/store/pack-index.ts';
import { git, temporaryDir } from './real-git.ts';

const root = temporaryDir('pack-index');

interface IndexEntry {
  id: string;
  offset: number;
  crc: number;
}

/** What `git show-index` reads from an index file: each entry's offset, id and CRC-32, in id order. */
function showIndex(dir: string, index: Buffer): IndexEntry[] {
  const result = spawnSync('git', ['show-index'], { cwd: dir, input: index, encoding: 'utf8' });
  assert.is(result.status, 0, result.stderr);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [offset, id, crc] = line.split(' ');
      return { id, offset: Number(offset), crc: parseInt(crc.slice(1, -1), 16) };
    });
}

/** Every answer of `index` about the entries git lists, hits and near misses. */
function assertAgrees(index: PackIndex, entries: IndexEntry[]): void {
  assert.is(index.count, entries.length);
  const positions = new Map(entries.map((entry, position) => [entry.id, position]));
  const crcs = index.crcs();
  entries.forEach((entry, position) => {
    assert.is(index.idAt(position).toString('hex'), entry.id, `id at ${position}`);
    assert.is(crcs[position], entry.crc, `crc at ${position}`);
    const id = Buffer.from(entry.id, 'hex');
    assert.is(index.offset(id), entry.offset, `offset of ${entry.id}`);
    // The same first four bytes (and more), another id: found in memory, refused by what is read from the file.
    id[19] ^= 1;
    if (!positions.has(id.toString('hex'))) assert.is(index.offset(id), undefined);
    assert.ok(index.idsWithPrefix(entry.id.slice(0, 7)).includes(entry.id));
  });
  for (let i = 0; i < 1000; i++) {
    const id = randomBytes(20);
    if (!positions.has(id.toString('hex'))) assert.is(index.offset(id), undefined);
  }
  const inPackOrder = [...entries].sort((a, b) => a.offset - b.offset);
  assert.equal(
    [...index.offsetsInPackOrder()],
    inPackOrder.map((entry) => entry.offset),
  );
  assert.equal(
    [...index.positionsInPackOrder()].map((position) => entries[position].id),
    inPackOrder.map((entry) => entry.id),
  );
  inPackOrder.forEach((entry, rank) => {
    assert.is(index.positionAt(entry.offset), positions.get(entry.id));
    const next = inPackOrder[rank + 1]?.offset ?? index.packSize - 20;
    assert.is(index.entryEnd(entry.offset), next);
  });
}

/** A fast-import stream of `count` blobs, alike enough for git to store most as deltas, and a commit of them all. */
function blobsAndCommit(count: number): string {
  const blobs: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const content = `kind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n${'  padding: xxxxxxxxxxxxxxxx\n'.repeat(20)}  n: "${i}"\n`;
    blobs.push(`blob\nmark :${i + 1}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
    files.push(`M 100644 :${i + 1} cm/${i}.yaml\n`);
  }
  const commit = `commit refs/heads/main\ncommitter Real Git <git@example.com> 1800000000 +0000\ndata 5\nmany\n${files.join('')}\n`;
  return blobs.join('') + commit;
}

function onlyIndexIn(dir: string): string {
  const [idx] = readdirSync(join(dir, 'objects', 'pack')).filter((name) => name.endsWith('.idx'));
  return join(dir, 'objects', 'pack', idx);
}

test('every id, offset and CRC of a pack git wrote (with deltas) is what git show-index says, and every object reads as git cat-file says', () => {
  const dir = join(root, 'git-pack.git');
  git(root, ['init', '-q', '--bare', dir]);
  git(dir, ['fast-import', '--quiet'], {}, blobsAndCommit(3000));
  git(dir, ['repack', '-adfq']);
  const entries = showIndex(dir, readFileSync(onlyIndexIn(dir)));
  const reader = new ObjectReader(join(dir, 'objects'));
  try {
    const [pack] = reader.openPacks();
    assertAgrees(pack.index, entries);
    const objects = git(dir, ['cat-file', '--batch-all-objects', '--batch-check']).trim().split('\n');
    assert.is(objects.length, entries.length);
    for (const line of objects) {
      const [id, type, size] = line.split(' ');
      const object = reader.read(id);
      assert.is(object.type, type, id);
      assert.is(object.content.length, Number(size), id);
    }
  } finally {
    reader.close();
  }
});

/** A version 2 index of these entries (in id order), as git writes one: offsets of 2 GiB and more in its 64-bit table. */
function craftedIndex(entries: IndexEntry[]): Buffer {
  const large = entries.filter((entry) => entry.offset >= 0x80000000);
  const index = Buffer.alloc(8 + 1024 + entries.length * 28 + large.length * 8 + 40);
  index.writeUInt32BE(0xff744f63, 0);
  index.writeUInt32BE(2, 4);
  for (let byte = 0; byte < 256; byte++)
    index.writeUInt32BE(entries.filter((entry) => parseInt(entry.id.slice(0, 2), 16) <= byte).length, 8 + byte * 4);
  let at = 8 + 1024;
  for (const entry of entries) at += index.write(entry.id, at, 'hex');
  for (const entry of entries) at = index.writeUInt32BE(entry.crc, at);
  let largeCount = 0;
  for (const entry of entries)
    at = index.writeUInt32BE(entry.offset >= 0x80000000 ? (0x80000000 | largeCount++) >>> 0 : entry.offset, at);
  for (const entry of large) at = index.writeBigUInt64BE(BigInt(entry.offset), at);
  at += 20; // the pack's checksum: no pack is read here
  createHash('sha1').update(index.subarray(0, at)).digest().copy(index, at);
  return index;
}

test('an index with 64-bit offsets (a pack over 2 GiB) and ids sharing their first four bytes answers as git show-index reads it', () => {
  const dir = join(root, 'crafted.git');
  git(root, ['init', '-q', '--bare', dir]);
  const ids = [
    ...Array.from({ length: 6 }, () => `deadbeef${randomBytes(16).toString('hex')}`),
    ...Array.from({ length: 3 }, () => `00${randomBytes(19).toString('hex')}`),
    ...Array.from({ length: 3 }, () => `ff${randomBytes(19).toString('hex')}`),
    ...Array.from({ length: 300 }, () => randomBytes(20).toString('hex')),
  ].sort();
  // Entries 64 MiB apart in an order of their own: about 20 GiB of pack, most of it past the 31-bit offsets.
  const order = ids.map((_, i) => i).sort(() => Math.random() - 0.5);
  const entries = ids.map((id, i) => ({ id, offset: 12 + order[i] * 0x4000000, crc: randomBytes(4).readUInt32BE() }));
  const idx = join(dir, 'objects', 'pack', 'pack-crafted.idx');
  writeFileSync(idx, craftedIndex(entries));
  assert.equal(showIndex(dir, readFileSync(idx)), entries, 'git reads the crafted index as made');
  const index = PackIndex.open(idx, 12 + ids.length * 0x4000000 + 20);
  try {
    assertAgrees(index, entries);
    assert.equal(
      index.idsWithPrefix('deadbeef').sort(),
      ids.filter((id) => id.startsWith('deadbeef')),
    );
  } finally {
    index.close();
  }
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
