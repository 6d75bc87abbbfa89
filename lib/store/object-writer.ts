import { randomBytes, createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { objectHeader, type ObjectType } from './git-object.ts';

export interface NewObject {
  id: string;
  type: ObjectType;
  content: Buffer;
}

const PACK_TYPE_NUMBERS: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };
/** zlib level 1: several times faster than git's default 6 on small YAML files, a little bigger, equally valid. */
const DEFLATE_OPTIONS = { level: 1 };
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
  writeFileSync(temporary, deflateSync(Buffer.concat([objectHeader(object.type, object.content.length), object.content]), DEFLATE_OPTIONS), { mode: 0o444 });
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

function encodeIndex(entries: Array<{ id: Buffer; offset: number; crc: number }>, packChecksum: Buffer): Buffer {
  entries.sort((a, b) => Buffer.compare(a.id, b.id));
  const large = entries.filter((entry) => entry.offset >= 0x80000000);
  const size = 8 + 1024 + entries.length * 28 + large.length * 8 + 40;
  const index = Buffer.alloc(size);
  index.writeUInt32BE(0xff744f63, 0);
  index.writeUInt32BE(2, 4);
  const fanout = new Uint32Array(256);
  for (const entry of entries) fanout[entry.id[0]]++;
  let total = 0;
  for (let i = 0; i < 256; i++) {
    total += fanout[i];
    index.writeUInt32BE(total, 8 + i * 4);
  }
  let at = 8 + 1024;
  for (const entry of entries) at += entry.id.copy(index, at);
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
  const checksum = createHash('sha1');
  const entries: Array<{ id: Buffer; offset: number; crc: number }> = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let offset = 0;
  const emit = (chunk: Buffer) => {
    checksum.update(chunk);
    pending.push(chunk);
    pendingBytes += chunk.length;
    offset += chunk.length;
    if (pendingBytes >= WRITE_CHUNK) flush();
  };
  const flush = () => {
    if (pendingBytes) writeSync(fd, Buffer.concat(pending, pendingBytes));
    pending = [];
    pendingBytes = 0;
  };
  try {
    const header = Buffer.alloc(12);
    header.write('PACK', 0, 'latin1');
    header.writeUInt32BE(2, 4);
    header.writeUInt32BE(objects.length, 8);
    emit(header);
    for (const object of objects) {
      const entryHeader = packEntryHeader(object.type, object.content.length);
      const compressed = deflateSync(object.content, DEFLATE_OPTIONS);
      entries.push({ id: Buffer.from(object.id, 'hex'), offset, crc: crc32(compressed, crc32(entryHeader)) });
      emit(entryHeader);
      emit(compressed);
    }
    const packChecksum = checksum.digest();
    pending.push(packChecksum);
    pendingBytes += packChecksum.length;
    flush();
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
    throw error;
  }
}
