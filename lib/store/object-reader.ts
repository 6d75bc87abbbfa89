import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { RepositoryError } from '../errors/index.ts';
import type { GitObject, ObjectType } from './git-object.ts';
import { OFS_DELTA, PACK_TYPES, readPackEntryHeader, REF_DELTA } from './pack-entry-header.ts';
import { PackIndex } from './pack-index.ts';

/** Bytes of delta bases kept inflated: after `git gc`, trees come as chains of deltas over shared bases. */
const DELTA_BASE_CACHE_BYTES = 32 << 20;

/** A pack this reader has open: its index and its .pack file. */
export interface OpenPack {
  /** The index's file name, `pack-<checksum>.idx`. */
  name: string;
  index: PackIndex;
  fd: number;
}

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Opens a pack by its index's file name; undefined when either file is gone, which happens when a repack (ours in
 * another process, or git's) deletes the pack between our listing the folder and opening it.
 */
function openPack(dir: string, name: string): OpenPack | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(join(dir, name.replace(/\.idx$/, '.pack')), 'r');
    return { name, fd, index: PackIndex.open(join(dir, name), fstatSync(fd).size) };
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    if (isMissingFile(error)) return undefined;
    throw error;
  }
}

function closePack(pack: OpenPack): void {
  closeSync(pack.fd);
  pack.index.close();
}

function readDeltaSize(delta: Buffer, at: number): [number, number] {
  let size = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = delta[at++];
    size += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [size, at];
}

/** Rebuilds an object from its base and a git delta (copy/insert instructions). */
function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let [baseSize, at] = readDeltaSize(delta, 0);
  if (baseSize !== base.length) throw new RepositoryError('A delta in a pack file does not match its base object.');
  let resultSize: number;
  [resultSize, at] = readDeltaSize(delta, at);
  const result = Buffer.allocUnsafe(resultSize);
  let written = 0;
  while (at < delta.length) {
    const op = delta[at++];
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let bit = 0; bit < 4; bit++) if (op & (1 << bit)) offset += delta[at++] * 2 ** (8 * bit);
      for (let bit = 0; bit < 3; bit++) if (op & (0x10 << bit)) size += delta[at++] * 2 ** (8 * bit);
      if (size === 0) size = 0x10000;
      written += base.copy(result, written, offset, offset + size);
    } else if (op > 0) {
      written += delta.copy(result, written, at, at + op);
      at += op;
    } else {
      throw new RepositoryError('A delta in a pack file is corrupt.');
    }
  }
  if (written !== resultSize) throw new RepositoryError('A delta in a pack file is corrupt.');
  return result;
}

/** Where objects were found or written: the pack (by its index's file name) or loose file that holds each. */
export class StoredObjects<T extends { id: string }> {
  readonly packs = new Map<string, T[]>();
  readonly loose: T[] = [];

  /** Records objects held by the pack `packName` (its index's file name), or by loose files when undefined. */
  add(packName: string | undefined, objects: T[]): void {
    let list = this.loose;
    if (packName !== undefined) {
      list = this.packs.get(packName) ?? [];
      this.packs.set(packName, list);
    }
    for (const object of objects) list.push(object);
  }

  addAll(other: StoredObjects<T>): void {
    for (const [name, objects] of other.packs) this.add(name, objects);
    this.add(undefined, other.loose);
  }
}

/** Reads objects from a git object database: loose objects and version 2 packs, deltas included. */
export class ObjectReader {
  private packs = new Map<string, OpenPack>();
  private scanned = false;
  private deltaBases = new Map<string, GitObject>();
  private deltaBaseBytes = 0;

  constructor(readonly objectsDir: string) {}

  private get packDir(): string {
    return join(this.objectsDir, 'pack');
  }

  /**
   * Picks up packs written since the last scan (by us or by git) and forgets removed ones. A pack counts only while
   * both its files are listed: git may delete either first.
   */
  rescanPacks(): void {
    const files = new Set(existsSync(this.packDir) ? readdirSync(this.packDir) : []);
    const names = new Set(
      [...files].filter((name) => name.endsWith('.idx') && files.has(name.replace(/\.idx$/, '.pack'))),
    );
    for (const name of this.packs.keys()) if (!names.has(name)) this.dropPack(name);
    for (const name of names) if (!this.packs.has(name)) this.keepOpen(openPack(this.packDir, name));
    this.scanned = true;
  }

  private keepOpen(pack: OpenPack | undefined): void {
    if (pack) this.packs.set(pack.name, pack);
  }

  /** Lets a writer register a pack it has just finished, without a directory scan. */
  addPack(idxPath: string): void {
    const name = basename(idxPath);
    if (!this.packs.has(name)) this.keepOpen(openPack(dirname(idxPath), name));
  }

  /** Closes a pack and stops looking in it (a repack has replaced it). */
  dropPack(name: string): void {
    const pack = this.packs.get(name);
    if (!pack) return;
    closePack(pack);
    this.packs.delete(name);
  }

  /** The packs known since the last scan (or added since). */
  openPacks(): OpenPack[] {
    if (!this.scanned) this.rescanPacks();
    return [...this.packs.values()];
  }

  close(): void {
    for (const pack of this.packs.values()) closePack(pack);
    this.packs.clear();
    this.deltaBases.clear();
    this.deltaBaseBytes = 0;
    this.scanned = false;
  }

  loosePath(id: string): string {
    return join(this.objectsDir, id.slice(0, 2), id.slice(2));
  }

  private readLoose(id: string): GitObject | undefined {
    let raw: Buffer;
    try {
      raw = inflateSync(readFileSync(this.loosePath(id)));
    } catch (error) {
      if (isMissingFile(error)) return undefined;
      throw new RepositoryError(`The object ${id} in the repository is corrupt.`, { cause: error });
    }
    const nul = raw.indexOf(0);
    const [type] = raw.toString('latin1', 0, nul).split(' ');
    return { type: type as ObjectType, content: raw.subarray(nul + 1) };
  }

  private findPacked(id: string): { pack: OpenPack; offset: number } | undefined {
    const key = Buffer.from(id, 'hex');
    for (const pack of this.packs.values()) {
      const offset = pack.index.offset(key);
      if (offset !== undefined) return { pack, offset };
    }
    return undefined;
  }

  /**
   * Reads one pack entry. The entry's length is not stored, so we read what zlib's worst case for its size
   * needs (inflate ignores what follows the stream) and only fall back to the exact end, which needs every
   * offset of the pack sorted, if that was not enough.
   */
  private readPackEntry(pack: OpenPack, offset: number): GitObject {
    const head = Buffer.allocUnsafe(32);
    readSync(pack.fd, head, 0, head.length, offset);
    const header = readPackEntryHeader(head);
    if (header.kind !== OFS_DELTA && header.kind !== REF_DELTA && !PACK_TYPES[header.kind]) {
      throw new RepositoryError(`A pack file in the repository has an entry of unknown type ${header.kind}.`);
    }
    const data = this.inflateEntry(pack, offset + header.length, header.size);
    if (header.baseDistance !== undefined) {
      const base = this.readDeltaBase(pack, offset - header.baseDistance);
      return { type: base.type, content: applyDelta(base.content, data) };
    }
    if (header.baseId !== undefined) {
      // A base found in a pack goes through the cache too: merged packs hold REF_DELTA chains (pack-consolidation.ts).
      const packed = this.findPacked(header.baseId);
      const base = packed ? this.readDeltaBase(packed.pack, packed.offset) : this.read(header.baseId);
      return { type: base.type, content: applyDelta(base.content, data) };
    }
    return { type: PACK_TYPES[header.kind], content: data };
  }

  private inflateEntry(pack: OpenPack, dataOffset: number, size: number): Buffer {
    const packEnd = pack.index.packSize - 20;
    const guess = Math.min(packEnd - dataOffset, size + (size >> 12) + (size >> 14) + 64);
    const compressed = Buffer.allocUnsafe(guess);
    readSync(pack.fd, compressed, 0, guess, dataOffset);
    try {
      const data = inflateSync(compressed);
      if (data.length === size) return data;
    } catch {
      // Not all of the stream: a compressor less tight than zlib's bound. Read exactly the entry below.
    }
    const exact = Buffer.allocUnsafe(pack.index.entryEnd(dataOffset) - dataOffset);
    readSync(pack.fd, exact, 0, exact.length, dataOffset);
    const data = inflateSync(exact);
    if (data.length !== size) throw new RepositoryError('An object in a pack file of the repository is corrupt.');
    return data;
  }

  private readDeltaBase(pack: OpenPack, offset: number): GitObject {
    const key = `${pack.name}:${offset}`;
    const cached = this.deltaBases.get(key);
    if (cached) return cached;
    const base = this.readPackEntry(pack, offset);
    this.deltaBases.set(key, base);
    this.deltaBaseBytes += base.content.length;
    for (const [oldest, object] of this.deltaBases) {
      if (this.deltaBaseBytes <= DELTA_BASE_CACHE_BYTES) break;
      this.deltaBases.delete(oldest);
      this.deltaBaseBytes -= object.content.length;
    }
    return base;
  }

  /** Finds an object in the packs, scanning the folder again on a miss: another process may have repacked. */
  private findPackedOrRescan(id: string): { pack: OpenPack; offset: number } | undefined {
    if (!this.scanned) this.rescanPacks();
    const found = this.findPacked(id);
    if (found) return found;
    this.rescanPacks();
    return this.findPacked(id);
  }

  private lookupPacked(id: string): GitObject | undefined {
    const found = this.findPackedOrRescan(id);
    return found ? this.readPackEntry(found.pack, found.offset) : undefined;
  }

  tryRead(id: string): GitObject | undefined {
    if (!/^[0-9a-f]{40}$/.test(id)) throw new RepositoryError(`"${id}" is not an object id.`);
    // The packs as last scanned first, as git looks: a failed open of a loose file costs an exception per object.
    if (!this.scanned) this.rescanPacks();
    const packed = this.findPacked(id);
    return packed ? this.readPackEntry(packed.pack, packed.offset) : (this.readLoose(id) ?? this.lookupPacked(id));
  }

  read(id: string): GitObject {
    const object = this.tryRead(id);
    if (!object) throw new RepositoryError(`The object ${id} is missing from the repository.`);
    return object;
  }

  /** Whether the object is stored, without reading it: a loose file, or an entry of a pack's index. */
  has(id: string): boolean {
    return existsSync(this.loosePath(id)) || this.findPackedOrRescan(id) !== undefined;
  }

  /**
   * Which of the objects are stored, and where, as the disk says now: the pack folder is listed again first (git may
   * have repacked).
   */
  locate<T extends { id: string }>(objects: T[]): { missing: T[]; stored: StoredObjects<T> } {
    this.rescanPacks();
    return this.locateInScanned(objects);
  }

  /**
   * locate() in the packs as last scanned. Few objects are checked one by one; many (a first snapshot) against one
   * listing of each loose fan-out folder, instead of a stat per object.
   */
  private locateInScanned<T extends { id: string }>(objects: T[]): { missing: T[]; stored: StoredObjects<T> } {
    const stored = new StoredObjects<T>();
    const unpacked: T[] = [];
    for (const object of objects) {
      const found = this.findPacked(object.id);
      if (found) stored.add(found.pack.name, [object]);
      else unpacked.push(object);
    }
    const looseIds = unpacked.length < 1000 ? undefined : new Set(this.looseIds());
    const missing: T[] = [];
    for (const object of unpacked) {
      if (looseIds ? looseIds.has(object.id) : existsSync(this.loosePath(object.id))) stored.loose.push(object);
      else missing.push(object);
    }
    return { missing, stored };
  }

  /**
   * The objects of each `stored` that are gone from the disk since they were located or written (git removed their
   * pack or loose file, and put them nowhere else). Each `stored` is brought up to date and no longer lists them.
   */
  lost<T extends { id: string }>(...all: Array<StoredObjects<T>>): T[] {
    this.rescanPacks();
    const lost: T[] = [];
    for (const stored of all) {
      // What is no longer where it was: a repack may have put it in another pack, or loose.
      const moved: T[] = [];
      for (const [name, objects] of stored.packs) {
        if (this.packs.has(name)) continue;
        stored.packs.delete(name);
        for (const object of objects) moved.push(object);
      }
      for (const object of stored.loose.splice(0))
        (existsSync(this.loosePath(object.id)) ? stored.loose : moved).push(object);
      const { missing, stored: found } = this.locateInScanned(moved);
      stored.addAll(found);
      for (const object of missing) lost.push(object);
    }
    return lost;
  }

  /** The ids of the loose objects: one listing of each fan-out folder. */
  looseIds(): string[] {
    const ids: string[] = [];
    for (const fan of existsSync(this.objectsDir) ? readdirSync(this.objectsDir) : []) {
      if (!/^[0-9a-f]{2}$/.test(fan)) continue;
      for (const name of readdirSync(join(this.objectsDir, fan))) if (/^[0-9a-f]{38}$/.test(name)) ids.push(fan + name);
    }
    return ids;
  }

  /** Full ids starting with a hex prefix, loose and packed. */
  idsWithPrefix(prefix: string): string[] {
    this.rescanPacks();
    const ids = new Set<string>();
    const fanDir = join(this.objectsDir, prefix.slice(0, 2));
    if (existsSync(fanDir)) {
      for (const name of readdirSync(fanDir)) {
        const id = prefix.slice(0, 2) + name;
        if (id.length === 40 && id.startsWith(prefix)) ids.add(id);
      }
    }
    for (const pack of this.packs.values()) for (const id of pack.index.idsWithPrefix(prefix)) ids.add(id);
    return [...ids];
  }
}
