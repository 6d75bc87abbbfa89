import { existsSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { RepositoryError } from '../errors/index.ts';
import { FileWindow } from './file-window.ts';
import type { ObjectReader, OpenPack } from './object-reader.ts';
import {
  packEntry,
  writePack,
  writePackWith,
  type IndexTable,
  type NewObject,
  type PackEntry,
  type PackWriter,
} from './object-writer.ts';
import { encodeBaseDistance, readPackEntryHeader, REF_DELTA, type PackEntryHeader } from './pack-entry-header.ts';
import type { PackIndex } from './pack-index.ts';

/**
 * More packs than this and the smallest are merged. Every pack is one more index to search for each object a commit
 * checks or reads; a watch commits a pack every fraction of a second, and the searches dominated a commit at a few
 * dozen packs (git's `gc --auto` waits for 50, but git does not write a pack per commit).
 */
const PACK_LIMIT = 8;
/** More loose objects than about this and they go into a pack (git's gc.auto): each is a file of its own. */
const LOOSE_LIMIT = 6700;
/** At most this many loose objects go into one pack, so that packing a repository full of them takes bounded memory. */
const LOOSE_OBJECTS_PER_PACK = 50_000;
/** Each pack kept holds at least this many times the objects of all smaller packs together (`git repack --geometric=2`). */
const GEOMETRIC_FACTOR = 2;
/** A pack with one of these is left alone, as git leaves it: kept (a fetch in progress, or the user), a partial clone's, a cruft pack. */
const LEAVE_ALONE = ['.keep', '.promisor', '.mtimes'];
/** A pack's files, deleted in this order: its index first, so that no reader finds an index whose pack is gone. */
const PACK_FILES = ['.idx', '.pack', '.rev', '.bitmap'];

function packFile(objectsDir: string, packName: string, extension: string): string {
  return join(objectsDir, 'pack', packName.replace(/\.idx$/, extension));
}

/**
 * How many of the smallest packs (their object counts, ascending) to merge so that each pack left holds at least
 * GEOMETRIC_FACTOR times the objects of all smaller packs together, the merged one included. 0: they already do.
 */
function packsToMerge(counts: number[]): number {
  let merge = 0;
  let smaller = 0;
  counts.forEach((count, i) => {
    if (count < GEOMETRIC_FACTOR * smaller) merge = i + 1;
    smaller += count;
  });
  return merge;
}

/** Bytes of an old pack read at a time while merging: memory stays flat however big the packs grow. */
const READ_WINDOW = 8 << 20;

/** The objects of several packs in id order (the new index's), each id once (from the first pack that has it). */
interface MergedOrder {
  count: number;
  /** Which pack each object comes from, by its place in the list merged. */
  packs: Uint32Array;
  /** Its position in that pack's index. */
  positions: Uint32Array;
}

function mergeById(indexes: PackIndex[]): MergedOrder {
  const total = indexes.reduce((sum, index) => sum + index.count, 0);
  const order: MergedOrder = { count: 0, packs: new Uint32Array(total), positions: new Uint32Array(total) };
  const next = new Uint32Array(indexes.length);
  for (;;) {
    let first = -1;
    for (let p = 0; p < indexes.length; p++) {
      if (next[p] < indexes[p].count && (first < 0 || indexes[p].compareIds(next[p], indexes[first], next[first]) < 0))
        first = p;
    }
    if (first < 0) return order;
    order.packs[order.count] = first;
    order.positions[order.count++] = next[first];
    for (let p = first + 1; p < indexes.length; p++) {
      if (next[p] < indexes[p].count && indexes[p].compareIds(next[p], indexes[first], next[first]) === 0) next[p]++;
    }
    next[first]++;
  }
}

/** An OFS_DELTA entry with its base distance spelled anew; its kind, size and zlib data stay as they were. */
function rebasedDelta(bytes: Buffer, header: PackEntryHeader, distance: number): PackEntry {
  const entry = Buffer.concat([
    bytes.subarray(0, header.sizeLength),
    encodeBaseDistance(distance),
    bytes.subarray(header.length),
  ]);
  return { bytes: entry, crc: crc32(entry) };
}

/** An OFS_DELTA entry as a REF_DELTA on the same base, for a base whose kept copy is another pack's. */
function asRefDelta(bytes: Buffer, header: PackEntryHeader, baseId: Buffer): PackEntry {
  const entry = Buffer.concat([bytes.subarray(0, header.sizeLength), baseId, bytes.subarray(header.length)]);
  entry[0] = (entry[0] & 0x8f) | (REF_DELTA << 4);
  return { bytes: entry, crc: crc32(entry) };
}

/** An entry of an old pack: its position in the old index, its offset in the old pack and the CRC-32 the index keeps. */
interface OldEntry {
  position: number;
  offset: number;
  crc: number;
}

/** Where the entries of one old pack went in the new one, by their positions in the old index. */
interface CopiedPack {
  /** 1: this pack's copy of the object is the one kept (an object in several packs is copied once). */
  kept: Uint8Array;
  offsets: Float64Array;
  crcs: Uint32Array;
}

/**
 * Copies the entries of several packs into one new pack, each pack's entries in their order, each object once,
 * without inflating them. kubesnap's own packs hold whole objects only. Packs fetched from a remote (or made by
 * `git gc`) hold deltas, which are copied as deltas too (an OFS_DELTA with its base's new distance): writing them
 * whole would make a remote's history several times bigger (3.3× for 20 revisions of 300 ConfigMaps) and slow to
 * merge. The old packs are read one at a time, front to back, a window at a time.
 */
class PackMerge {
  constructor(
    private readonly reader: ObjectReader,
    private readonly packs: OpenPack[],
    private readonly writer: PackWriter,
  ) {}

  /** Copies the objects `order` lists; returns the new pack's index table, in that order. */
  write(order: MergedOrder): IndexTable {
    const copies: CopiedPack[] = this.packs.map((pack) => ({
      kept: new Uint8Array(pack.index.count),
      offsets: new Float64Array(pack.index.count),
      crcs: new Uint32Array(pack.index.count),
    }));
    for (let i = 0; i < order.count; i++) copies[order.packs[i]].kept[order.positions[i]] = 1;
    this.packs.forEach((pack, p) => this.copy(pack, copies[p]));
    const table: IndexTable = {
      names: Buffer.allocUnsafe(order.count * 20),
      crcs: new Uint32Array(order.count),
      offsets: new Float64Array(order.count),
    };
    for (let i = 0; i < order.count; i++) {
      const [copy, position] = [copies[order.packs[i]], order.positions[i]];
      this.packs[order.packs[i]].index.idAt(position).copy(table.names, i * 20);
      table.crcs[i] = copy.crcs[position];
      table.offsets[i] = copy.offsets[position];
    }
    return table;
  }

  private copy(pack: OpenPack, copy: CopiedPack): void {
    const label = `pack file ${pack.name.replace(/\.idx$/, '.pack')}`;
    const file = new FileWindow(pack.fd, pack.index.packSize, READ_WINDOW, label);
    const offsets = pack.index.offsetsInPackOrder();
    const positions = pack.index.positionsInPackOrder();
    // The whole table at once: in pack order, the positions jump about the index.
    const crcs = pack.index.crcs();
    positions.forEach((position, i) => {
      if (!copy.kept[position]) return;
      const bytes = file.range(offsets[i], i + 1 < offsets.length ? offsets[i + 1] : pack.index.packSize - 20);
      // The writer copies the entry before the window moves on.
      const entry = this.entryFor(pack.index, bytes, { position, offset: offsets[i], crc: crcs[position] }, copy);
      copy.crcs[position] = entry.crc;
      copy.offsets[position] = this.writer.add(entry);
    });
  }

  private entryFor(index: PackIndex, bytes: Buffer, old: OldEntry, copy: CopiedPack): PackEntry {
    const { position } = old;
    const header = readPackEntryHeader(bytes);
    if (header.baseDistance !== undefined) {
      const base = index.positionAt(old.offset - header.baseDistance);
      if (base === undefined)
        throw new RepositoryError(
          `A delta in a pack file of the repository has no base (object ${index.idAt(position).toString('hex')}).`,
        );
      // The base came earlier in this pack, so it is already written, unless another pack's copy of it was kept.
      return copy.kept[base]
        ? rebasedDelta(bytes, header, this.writer.offset - copy.offsets[base])
        : asRefDelta(bytes, header, index.idAt(base));
    }
    // A REF_DELTA on an object outside these packs (a thin pack) is written whole: git looks for a delta's base
    // only in the delta's own pack.
    if (header.baseId !== undefined && !this.holds(header.baseId)) {
      const object = this.reader.read(index.idAt(position).toString('hex'));
      return packEntry(object.type, object.content);
    }
    return { bytes, crc: old.crc };
  }

  private holds(id: string): boolean {
    const key = Buffer.from(id, 'hex');
    return this.packs.some((pack) => pack.index.offset(key) !== undefined);
  }
}

/** Writes one new pack holding the objects of `packs` (each once); returns the path of its .idx. */
export function writeMergedPack(reader: ObjectReader, packs: OpenPack[]): string {
  const order = mergeById(packs.map((pack) => pack.index));
  return writePackWith(reader.objectsDir, order.count, (writer) => new PackMerge(reader, packs, writer).write(order));
}

/**
 * Puts the merged pack `idxPath` in the place of the packs it was merged from. The new pack is complete on disk and
 * in the reader before an old one is deleted, so a crash at any point leaves every object in some pack (at worst in
 * two), and a reader in another process keeps what it has open (Linux unlink) or finds the new pack when it scans
 * again on a miss.
 */
export function installMergedPack(reader: ObjectReader, mergedNames: string[], idxPath: string): void {
  reader.addPack(idxPath);
  for (const name of mergedNames) {
    // Merging what an interrupted merge left (its result and its sources) can write that same result again.
    if (name === basename(idxPath)) continue;
    reader.dropPack(name);
    for (const extension of PACK_FILES) rmSync(packFile(reader.objectsDir, name, extension), { force: true });
  }
  removeMultiPackIndex(join(reader.objectsDir, 'pack'));
}

/**
 * Removes the multi-pack-index and what belongs to it (its bitmap and reverse index, an incremental chain), as
 * `git repack` does when it deletes packs: it would name packs that are gone, which git fsck reports. git writes it
 * again at its next repack or maintenance run.
 */
function removeMultiPackIndex(packDir: string): void {
  for (const name of readdirSync(packDir)) {
    if (
      name === 'multi-pack-index' ||
      name === 'multi-pack-index.d' ||
      /^multi-pack-index-[0-9a-f]+\.(bitmap|rev)$/.test(name)
    ) {
      rmSync(join(packDir, name), { recursive: true, force: true });
    }
  }
}

/**
 * The packs to merge to keep their number small, as `git repack --geometric=2` does: once there are more than
 * PACK_LIMIT, the smallest, so that the packs left form a geometric progression by object count. Usually none:
 * an object is rewritten O(log n) times over the life of a repository of n objects.
 */
export function packsToConsolidate(reader: ObjectReader): OpenPack[] {
  if (reader.openPacks().length <= PACK_LIMIT) return [];
  reader.rescanPacks();
  const packs = reader
    .openPacks()
    .filter((pack) => !LEAVE_ALONE.some((extension) => existsSync(packFile(reader.objectsDir, pack.name, extension))))
    // Ties by name, so that the same packs always merge into the same pack (see installMergedPack).
    .sort((a, b) => a.index.count - b.index.count || (a.name < b.name ? -1 : 1));
  if (packs.length <= PACK_LIMIT) return [];
  return packs.slice(0, packsToMerge(packs.map((pack) => pack.index.count)));
}

/** The loose objects as git estimates them: those of one fan-out folder, times 256. */
function looseObjectEstimate(objectsDir: string): number {
  const sample = join(objectsDir, '17');
  return existsSync(sample) ? readdirSync(sample).length * 256 : 0;
}

/** A loose object, to be packed; undefined when it cannot be read (it is left loose). */
function looseObject(reader: ObjectReader, id: string): NewObject | undefined {
  try {
    return { id, ...reader.read(id) };
  } catch (error) {
    if (error instanceof RepositoryError) return undefined;
    throw error;
  }
}

/** Deletes a loose object that is packed now; one git removed meanwhile (prune-packed, prune) is no error. */
function unlinkLoose(path: string): void {
  try {
    // unlink alone: rmSync's lstat first was a tenth of the time.
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Once there are many loose objects, writes them into one pack (which the next merges take in like any other) and
 * deletes them after it is in place: a reader that misses a loose object looks in the packs, scanning them again.
 */
export function packLooseObjects(reader: ObjectReader): void {
  if (looseObjectEstimate(reader.objectsDir) <= LOOSE_LIMIT) return;
  const objects = reader
    .looseIds()
    .slice(0, LOOSE_OBJECTS_PER_PACK)
    .flatMap((id) => looseObject(reader, id) ?? []);
  if (objects.length === 0) return;
  reader.addPack(writePack(reader.objectsDir, objects));
  for (const { id } of objects) unlinkLoose(reader.loosePath(id));
}
