import { randomBytes, createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { objectHeader, type ObjectType } from './git-object.ts';
import { encodePackEntryHeader } from './pack-entry-header.ts';

export interface NewObject {
  id: string;
  type: ObjectType;
  content: Buffer;
  /** The object as a pack stores it, when that was already made elsewhere (see PreparedBlob). */
  packed?: PackEntry;
}

/** One object as a pack holds it: its entry header and deflated content, and the CRC-32 the index keeps of them. */
export interface PackEntry {
  bytes: Buffer;
  crc: number;
}

/**
 * zlib options sized to the object: level 1 (much faster than git's default 6 on YAML, a little bigger), and a
 * window and hash table no bigger than the object needs. zlib's default state is ~256 KB per call, which glibc
 * hands out with mmap and page-faults in afresh every time; small state is several times faster on small
 * files and compresses them the same. Any window size is valid zlib for git to inflate.
 */
function deflateOptions(
  size: number,
  level: number,
): { level: number; windowBits: number; memLevel: number; chunkSize: number } {
  const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(size + 262))));
  // The output buffer too: zlib's default 16 KB chunk would be handed back as a slice, pinning 16 KB per object.
  return { level, windowBits, memLevel: Math.max(1, windowBits - 7), chunkSize: Math.min(64 << 10, size + 1024) };
}

/**
 * Trees are stored without compression (zlib level 0, still valid zlib): they are mostly 20-byte ids that
 * deflate hardly shrinks, and a commit rewrites every tree above each change, so compressing them would be
 * most of an incremental commit's time. `git gc` recompresses and deltifies them later.
 */
function deflate(object: { type: ObjectType; content: Buffer }, withHeader = false): Buffer {
  const data = withHeader
    ? Buffer.concat([objectHeader(object.type, object.content.length), object.content])
    : object.content;
  return deflateSync(data, deflateOptions(data.length, object.type === 'tree' ? 0 : 1));
}

export function packEntry(type: ObjectType, content: Buffer): PackEntry {
  const bytes = Buffer.concat([encodePackEntryHeader(type, content.length), deflate({ type, content })]);
  return { bytes, crc: crc32(bytes) };
}
const WRITE_CHUNK = 4 << 20;

function temporaryName(prefix: string): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

function isMissingFolder(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * Writes one object as a loose file (temp file + rename, so a reader never sees half an object). Its fan-out folder
 * is made when the write finds it missing, never remembered: `git gc` (prune-packed) removes the empty ones.
 */
export function writeLooseObject(objectsDir: string, object: NewObject): void {
  const dir = join(objectsDir, object.id.slice(0, 2));
  const path = join(dir, object.id.slice(2));
  if (existsSync(path)) return;
  const temporary = join(dir, temporaryName('tmp_obj_'));
  const bytes = deflate(object, true);
  try {
    writeFileSync(temporary, bytes, { mode: 0o444 });
  } catch (error) {
    if (!isMissingFolder(error)) throw error;
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, bytes, { mode: 0o444 });
  }
  renameSync(temporary, path);
}

/** What a pack index lists, in id order: the ids (20 bytes each), and each object's CRC-32 and offset in the pack. */
export interface IndexTable {
  names: Buffer;
  crcs: Uint32Array;
  offsets: Float64Array;
}

function encodeIndex(table: IndexTable, packChecksum: Buffer): Buffer {
  const count = table.crcs.length;
  let large = 0;
  for (const offset of table.offsets) if (offset >= 0x80000000) large++;
  const index = Buffer.alloc(8 + 1024 + count * 28 + large * 8 + 40);
  index.writeUInt32BE(0xff744f63, 0);
  index.writeUInt32BE(2, 4);
  const fanout = new Uint32Array(256);
  for (let i = 0; i < count; i++) fanout[table.names[i * 20]]++;
  let total = 0;
  for (let i = 0; i < 256; i++) {
    total += fanout[i];
    index.writeUInt32BE(total, 8 + i * 4);
  }
  let at = 8 + 1024;
  at += table.names.copy(index, at, 0, count * 20);
  for (const crc of table.crcs) at = index.writeUInt32BE(crc, at);
  let largeCount = 0;
  for (const offset of table.offsets)
    at = index.writeUInt32BE(offset >= 0x80000000 ? (0x80000000 | largeCount++) >>> 0 : offset, at);
  for (const offset of table.offsets) if (offset >= 0x80000000) at = index.writeBigUInt64BE(BigInt(offset), at);
  at += packChecksum.copy(index, at);
  createHash('sha1').update(index.subarray(0, at)).digest().copy(index, at);
  return index;
}

/** The index table of entries given by hex id, in any order. */
function indexTable(entries: Array<{ id: string; offset: number; crc: number }>): IndexTable {
  // Lower-case hex sorts like the bytes it spells, and far faster than Buffer.compare calls.
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // One hex decode of every id at once: a hundred thousand small writes cost more than the rest of the index.
  const names = Buffer.from(entries.map((entry) => entry.id).join(''), 'hex');
  return {
    names,
    crcs: Uint32Array.from(entries, (entry) => entry.crc),
    offsets: Float64Array.from(entries, (entry) => entry.offset),
  };
}

/** Appends to a file through one reused buffer, hashing everything written (a pack's trailing checksum). */
class HashingFileWriter {
  private readonly buffer = Buffer.allocUnsafe(WRITE_CHUNK);
  private used = 0;
  private readonly checksum = createHash('sha1');
  offset = 0;

  constructor(private readonly fd: number) {}

  write(chunk: Buffer): void {
    this.offset += chunk.length;
    if (this.used + chunk.length > this.buffer.length) this.flush();
    if (chunk.length > this.buffer.length) {
      this.checksum.update(chunk);
      writeSync(this.fd, chunk);
    } else this.used += chunk.copy(this.buffer, this.used);
  }

  /** Hashes and writes what is buffered: one hash update per chunk, not one per object. */
  flush(): void {
    if (this.used) {
      const buffered = this.buffer.subarray(0, this.used);
      this.checksum.update(buffered);
      writeSync(this.fd, buffered);
    }
    this.used = 0;
  }

  /** Writes the SHA-1 of everything so far (not itself hashed) and returns it. */
  finish(): Buffer {
    this.flush();
    const digest = this.checksum.digest();
    writeSync(this.fd, digest);
    return digest;
  }
}

/** A pack being written: its entries streamed to a temp file, which `finish` renames into place with its .idx. */
export class PackWriter {
  private readonly dir: string;
  private readonly temporaryPack: string;
  private readonly fd: number;
  private readonly out: HashingFileWriter;
  private added = 0;

  constructor(
    objectsDir: string,
    private readonly count: number,
  ) {
    this.dir = join(objectsDir, 'pack');
    mkdirSync(this.dir, { recursive: true });
    this.temporaryPack = join(this.dir, temporaryName('tmp_pack_'));
    this.fd = openSync(this.temporaryPack, 'wx', 0o444);
    this.out = new HashingFileWriter(this.fd);
    const header = Buffer.alloc(12);
    header.write('PACK', 0, 'latin1');
    header.writeUInt32BE(2, 4);
    header.writeUInt32BE(count, 8);
    this.out.write(header);
  }

  /** Where the next entry will start. */
  get offset(): number {
    return this.out.offset;
  }

  /** Appends an entry; returns its offset. */
  add(entry: PackEntry): number {
    const offset = this.out.offset;
    this.out.write(entry.bytes);
    this.added++;
    return offset;
  }

  /**
   * Renames the .pack into place before the .idx, as git does: readers only look for objects through an .idx.
   * Returns the path of the .idx.
   */
  finish(table: IndexTable): string {
    if (this.added !== this.count || table.crcs.length !== this.count)
      throw new Error(`A pack of ${this.count} objects got ${this.added} entries and ${table.crcs.length} index rows.`);
    const packChecksum = this.out.finish();
    closeSync(this.fd);
    const base = join(this.dir, `pack-${packChecksum.toString('hex')}`);
    renameSync(this.temporaryPack, `${base}.pack`);
    const temporaryIndex = join(this.dir, temporaryName('tmp_idx_'));
    writeFileSync(temporaryIndex, encodeIndex(table, packChecksum), { mode: 0o444 });
    renameSync(temporaryIndex, `${base}.idx`);
    return `${base}.idx`;
  }

  /** Removes the temp file of a pack that will not be finished. */
  abort(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.temporaryPack, { force: true });
  }
}

/**
 * Writes one pack of `count` objects: `fill` adds them and returns their index table. Nothing is left behind when
 * it throws. Returns the path of the .idx.
 */
export function writePackWith(objectsDir: string, count: number, fill: (pack: PackWriter) => IndexTable): string {
  const pack = new PackWriter(objectsDir, count);
  try {
    return pack.finish(fill(pack));
  } catch (error) {
    pack.abort();
    throw error;
  }
}

/** Writes objects as one pack (+ .idx v2), undeltified. Returns the path of the .idx. */
export function writePack(objectsDir: string, objects: NewObject[]): string {
  return writePackWith(objectsDir, objects.length, (pack) =>
    indexTable(
      objects.map((object) => {
        const entry = object.packed ?? packEntry(object.type, object.content);
        return { id: object.id, offset: pack.add(entry), crc: entry.crc };
      }),
    ),
  );
}
