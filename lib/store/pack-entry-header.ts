import type { ObjectType } from './git-object.ts';

export const PACK_TYPES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const PACK_TYPE_NUMBERS = Object.fromEntries(
  Object.entries(PACK_TYPES).map(([number, type]) => [type, Number(number)]),
) as Record<ObjectType, number>;
export const OFS_DELTA = 6;
export const REF_DELTA = 7;

/** The header of one pack entry: its kind, its inflated size, and for a delta where its base is. */
export interface PackEntryHeader {
  /** 1-4: a whole object (PACK_TYPES); OFS_DELTA or REF_DELTA: a delta. */
  kind: number;
  /** The inflated size of the object, or of the delta. */
  size: number;
  /** Bytes of the kind-and-size part. */
  sizeLength: number;
  /** Bytes of the whole header, a delta's base included: the zlib data starts here. */
  length: number;
  /** OFS_DELTA: how far before this entry its base starts. */
  baseDistance?: number;
  /** REF_DELTA: the id of its base. */
  baseId?: string;
}

/** Parses the entry header at the start of `bytes` (an entry, or its first 32 bytes: enough for any header). */
export function readPackEntryHeader(bytes: Buffer): PackEntryHeader {
  let at = 0;
  let byte = bytes[at++];
  const kind = (byte >> 4) & 7;
  let size = byte & 0x0f;
  for (let shift = 4; byte & 0x80; shift += 7) {
    byte = bytes[at++];
    size += (byte & 0x7f) * 2 ** shift;
  }
  const sizeLength = at;
  if (kind === OFS_DELTA) {
    byte = bytes[at++];
    let distance = byte & 0x7f;
    while (byte & 0x80) {
      byte = bytes[at++];
      distance = (distance + 1) * 128 + (byte & 0x7f);
    }
    return { kind, size, sizeLength, length: at, baseDistance: distance };
  }
  if (kind === REF_DELTA)
    return { kind, size, sizeLength, length: sizeLength + 20, baseId: bytes.toString('hex', at, at + 20) };
  return { kind, size, sizeLength, length: sizeLength };
}

/** The kind-and-size header of a whole object's entry (what readPackEntryHeader reads back as kind, size and sizeLength). */
export function encodePackEntryHeader(type: ObjectType, size: number): Buffer {
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

/** An OFS_DELTA's base distance as the header spells it (the inverse of the loop in readPackEntryHeader). */
export function encodeBaseDistance(distance: number): Buffer {
  const bytes = [distance & 0x7f];
  for (let rest = Math.floor(distance / 128); rest > 0; rest = Math.floor(rest / 128)) {
    rest -= 1;
    bytes.unshift(0x80 | (rest & 0x7f));
  }
  return Buffer.from(bytes);
}
