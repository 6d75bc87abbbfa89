import { randomBytes, createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { objectHeader, type ObjectType } from './git-object.ts';

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

const PACK_TYPE_NUMBERS: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };
/**
 * zlib options sized to the object: level 1 (much faster than git's default 6 on YAML, a little bigger), and a
 * window and hash table no bigger than the object needs. zlib's default state is ~256 KB per call, which glibc
 * hands out with mmap and page-faults in afresh every time; small state is several times faster on small
 * files and compresses them the same. Any window size is valid zlib for git to inflate.
 */
function deflateOptions(size: number, level: number): { level: number; windowBits: number; memLevel: number; chunkSize: number } {
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
  const data = withHeader ? Buffer.concat([objectHeader(object.type, object.content.length), object.content]) : object.content;
  return deflateSync(data, deflateOptions(data.length, object.type === 'tree' ? 0 : 1));
}

export function packEntry(type: ObjectType, content: Buffer): PackEntry {
  const bytes = Buffer.concat([packEntryHeader(type, content.length), deflate({ type, content })]);
  return { bytes, crc: crc32(bytes) };
}
const WRITE_CHUNK = 4 << 20;

function temporaryName(prefix: string): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

/** Writes one object as a loose file (temp file + rename, so a reader never sees half an object). */
export function writeLooseObject(objectsDir: string, object: NewObject, knownDirs: Set<string>): void {
  const dir = join(objectsDir, object.id.slice(0, 2));
  const path = join(dir, object.id.slice(2));
  if (!knownDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    knownDirs.add(dir);
  }
  if (existsSync(path)) return;
  const temporary = join(dir, temporaryName('tmp_obj_'));
  writeFileSync(temporary, deflate(object, true), { mode: 0o444 });
  renameSync(temporary, path);
}

function packEntryHeader(type: ObjectType, size: number): Buffer {
  const bytes: number[] = [];
  let byte = (PACK_TYPE_NUMBERS[type] << 4) | (size & 0x0f);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes.push(byte | 0x80);
    byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(byte);
  return Buffer.from(bytes);
}

interface PackedEntry {
  id: string;
  offset: number;
  crc: number;
}

function hexDigit(code: number): number {
  return code <= 0x39 ? code - 0x30 : code - 0x57;
}

/** The first byte of a lower-case hex id, without slicing it. */
function firstByte(id: string): number {
  return hexDigit(id.charCodeAt(0)) * 16 + hexDigit(id.charCodeAt(1));
}

function encodeIndex(entries: PackedEntry[], packChecksum: Buffer): Buffer {
  // Lower-case hex sorts like the bytes it spells, and far faster than Buffer.compare calls.
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const large = entries.filter((entry) => entry.offset >= 0x80000000);
  const size = 8 + 1024 + entries.length * 28 + large.length * 8 + 40;
  const index = Buffer.alloc(size);
  index.writeUInt32BE(0xff744f63, 0);
  index.writeUInt32BE(2, 4);
  const fanout = new Uint32Array(256);
  for (const entry of entries) fanout[firstByte(entry.id)]++;
  let total = 0;
  for (let i = 0; i < 256; i++) {
    total += fanout[i];
    index.writeUInt32BE(total, 8 + i * 4);
  }
  let at = 8 + 1024;
  // One hex decode of every id at once: a hundred thousand small writes cost more than the rest of the index.
  at += index.write(entries.map((entry) => entry.id).join(''), at, 'hex');
  for (const entry of entries) at = index.writeUInt32BE(entry.crc >>> 0, at);
  let largeCount = 0;
  for (const entry of entries) {
    at = index.writeUInt32BE(entry.offset >= 0x80000000 ? (0x80000000 | largeCount++) >>> 0 : entry.offset, at);
  }
  for (const entry of large) at = index.writeBigUInt64BE(BigInt(entry.offset), at);
  at += packChecksum.copy(index, at);
  createHash('sha1').update(index.subarray(0, at)).digest().copy(index, at);
  return index;
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

/**
 * Writes objects as one pack (+ .idx v2), undeltified, streamed to a temp file. The .pack is renamed into
 * place before the .idx, as git does: readers only look for objects through an .idx.
 * Returns the paths of the finished .idx and .pack.
 */
export function writePack(objectsDir: string, objects: NewObject[]): { idxPath: string; packPath: string } {
  const dir = join(objectsDir, 'pack');
  mkdirSync(dir, { recursive: true });
  const temporaryPack = join(dir, temporaryName('tmp_pack_'));
  const fd = openSync(temporaryPack, 'wx', 0o444);
  const entries: PackedEntry[] = [];
  try {
    const out = new HashingFileWriter(fd);
    const header = Buffer.alloc(12);
    header.write('PACK', 0, 'latin1');
    header.writeUInt32BE(2, 4);
    header.writeUInt32BE(objects.length, 8);
    out.write(header);
    for (const object of objects) {
      const entry = object.packed ?? packEntry(object.type, object.content);
      entries.push({ id: object.id, offset: out.offset, crc: entry.crc });
      out.write(entry.bytes);
    }
    const packChecksum = out.finish();
    closeSync(fd);
    const base = join(dir, `pack-${packChecksum.toString('hex')}`);
    renameSync(temporaryPack, `${base}.pack`);
    const temporaryIndex = join(dir, temporaryName('tmp_idx_'));
    writeFileSync(temporaryIndex, encodeIndex(entries, packChecksum), { mode: 0o444 });
    renameSync(temporaryIndex, `${base}.idx`);
    return { idxPath: `${base}.idx`, packPath: `${base}.pack` };
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temporaryPack, { force: true });
    throw error;
  }
}
