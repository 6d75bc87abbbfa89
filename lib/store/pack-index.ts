import { closeSync, fstatSync, openSync } from 'node:fs';
import { basename } from 'node:path';
import { RepositoryError } from '../errors/index.ts';
import { FileWindow, readExactly } from './file-window.ts';

/** Where the ids start in a version 2 index: after its magic, version and 256-entry fan-out table. */
const NAMES_AT = 8 + 256 * 4;
/** An index's trailer: the pack's checksum and its own. */
const TRAILER_BYTES = 40;
/** Bytes of the index file read at a time when it is read front to back (opening it, merging its pack). */
const WINDOW_BYTES = 64 << 10;

/**
 * A pack index (.idx version 2): which objects a pack holds and where, read from its open file. Only the fan-out
 * table and the first four bytes of each id stay in memory, 4 bytes an object where the file has 28: a watch stores
 * objects without end, and indexes held whole grew its memory with its history (figure 7). A lookup reads the rest
 * from the file only where a prefix matches: a miss (most lookups: is this new object stored already?) nearly always
 * ends without a read, a hit reads its id and offset. Opened with `PackIndex.open`, given back with `close`; git may
 * delete the file meanwhile, and the open file still reads what it held.
 */
export class PackIndex {
  readonly count: number;
  private readonly fanout = new Uint32Array(256);
  /** The first four bytes of each id, big-endian, in index (id) order. */
  private readonly prefixes: Uint32Array;
  private readonly crcsAt: number;
  private readonly offsetsAt: number;
  private readonly largeOffsetsAt: number;
  /** For the single reads of a lookup. */
  private readonly scratch = Buffer.allocUnsafeSlow(20);
  /** For reading the index front to back; made at the first such read (merges only). */
  private window?: FileWindow;
  private sortedOffsets?: Float64Array;
  private sortedPositions?: Uint32Array;

  /** Opens the index file at `path` of a pack of `packSize` bytes. */
  static open(path: string, packSize: number): PackIndex {
    const fd = openSync(path, 'r');
    try {
      return new PackIndex(fd, basename(path), fstatSync(fd).size, packSize);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  private constructor(
    private readonly fd: number,
    private readonly fileName: string,
    private readonly fileSize: number,
    readonly packSize: number,
  ) {
    const head = Buffer.allocUnsafe(NAMES_AT);
    this.read(head, NAMES_AT, 0);
    if (head.readUInt32BE(0) !== 0xff744f63 || head.readUInt32BE(4) !== 2) {
      throw new RepositoryError(
        'A pack index in the repository is not version 2; run "git repack -a -d" to rewrite it.',
      );
    }
    for (let i = 0; i < 256; i++) this.fanout[i] = head.readUInt32BE(8 + i * 4);
    this.count = this.fanout[255];
    this.crcsAt = NAMES_AT + this.count * 20;
    this.offsetsAt = this.crcsAt + this.count * 4;
    this.largeOffsetsAt = this.offsetsAt + this.count * 4;
    if (fileSize < this.largeOffsetsAt + TRAILER_BYTES) {
      throw new RepositoryError(
        `The pack index ${fileName} in the repository is shorter than its ${this.count} objects need; run "git index-pack" on its pack to write it again.`,
      );
    }
    this.prefixes = new Uint32Array(this.count);
    // Through a window of its own, let go of at the end: lookups need no window.
    const names = new FileWindow(fd, fileSize, WINDOW_BYTES, this.label);
    const perWindow = Math.floor(WINDOW_BYTES / 20);
    for (let first = 0; first < this.count; first += perWindow) {
      const last = Math.min(this.count, first + perWindow);
      const bytes = names.range(NAMES_AT + first * 20, NAMES_AT + last * 20);
      for (let i = first; i < last; i++) this.prefixes[i] = bytes.readUInt32BE((i - first) * 20);
    }
  }

  private get label(): string {
    return `pack index ${this.fileName}`;
  }

  /** Gives the index file back: a dropped pack's, or a closed reader's. */
  close(): void {
    closeSync(this.fd);
  }

  private read(target: Buffer, length: number, position: number): void {
    readExactly(this.fd, target, length, position, this.label);
  }

  /** The id at a position, read into the scratch buffer (valid until the next read). */
  private readId(position: number): Buffer {
    this.read(this.scratch, 20, NAMES_AT + position * 20);
    return this.scratch;
  }

  /** The first position whose prefix is not below `prefix`, searched between the fan-out's bounds of its first byte. */
  private firstWithPrefix(prefix: number): number {
    const firstByte = prefix >>> 24;
    let low = firstByte === 0 ? 0 : this.fanout[firstByte - 1];
    let high = this.fanout[firstByte];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.prefixes[middle] < prefix) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private position(id: Buffer): number {
    const prefix = id.readUInt32BE(0);
    // Ids sharing their first four bytes are rare (one in 4 billion a pair), so this reads one id, or none.
    for (let at = this.firstWithPrefix(prefix); at < this.count && this.prefixes[at] === prefix; at++) {
      const order = this.readId(at).compare(id, 4, 20, 4, 20);
      if (order === 0) return at;
      if (order > 0) break;
    }
    return -1;
  }

  /** The offset in the pack of the entry at a position of the index. */
  private offsetAt(position: number): number {
    this.read(this.scratch, 4, this.offsetsAt + position * 4);
    const small = this.scratch.readUInt32BE(0);
    if (!(small & 0x80000000)) return small;
    this.read(this.scratch, 8, this.largeOffsetsAt + (small & 0x7fffffff) * 8);
    return Number(this.scratch.readBigUInt64BE(0));
  }

  /** Offset of the object in the pack, or undefined when the pack does not hold it. */
  offset(id: Buffer): number | undefined {
    const position = this.position(id);
    return position < 0 ? undefined : this.offsetAt(position);
  }

  /** The bytes from `start` to `end` of the index file, read front to back through the window. */
  private range(start: number, end: number): Buffer {
    this.window ??= new FileWindow(this.fd, this.fileSize, WINDOW_BYTES, this.label);
    return this.window.range(start, end);
  }

  /** A table of `count` 4-byte words at `at`, read front to back. */
  private readWords(at: number): Uint32Array {
    const words = new Uint32Array(this.count);
    const perWindow = WINDOW_BYTES / 4;
    for (let first = 0; first < this.count; first += perWindow) {
      const last = Math.min(this.count, first + perWindow);
      const bytes = this.range(at + first * 4, at + last * 4);
      for (let i = first; i < last; i++) words[i] = bytes.readUInt32BE((i - first) * 4);
    }
    return words;
  }

  /** The CRC-32 the index keeps of every entry (its header and zlib data), by index position. */
  crcs(): Uint32Array {
    return this.readWords(this.crcsAt);
  }

  /** The offsets of every entry by index position, read front to back (large ones in the order git numbers them). */
  private offsetsInIndexOrder(): Float64Array {
    const words = this.readWords(this.offsetsAt);
    const offsets = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) {
      const small = words[i];
      if (!(small & 0x80000000)) {
        offsets[i] = small;
        continue;
      }
      const largeAt = this.largeOffsetsAt + (small & 0x7fffffff) * 8;
      offsets[i] = Number(this.range(largeAt, largeAt + 8).readBigUInt64BE(0));
    }
    return offsets;
  }

  /** The offsets of every entry, ascending: the order of the entries in the pack. */
  offsetsInPackOrder(): Float64Array {
    this.sortInPackOrder();
    return this.sortedOffsets as Float64Array;
  }

  /** The index positions of every entry, in the order of the entries in the pack (of offsetsInPackOrder). */
  positionsInPackOrder(): Uint32Array {
    this.sortInPackOrder();
    return this.sortedPositions as Uint32Array;
  }

  private sortInPackOrder(): void {
    if (this.sortedOffsets) return;
    const offsets = this.offsetsInIndexOrder();
    this.sortedOffsets = Float64Array.from(offsets).sort();
    this.sortedPositions = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) this.sortedPositions[this.entriesUpTo(offsets[i]) - 1] = i;
  }

  /** How many entries start at or before `offset`. */
  private entriesUpTo(offset: number): number {
    const offsets = this.offsetsInPackOrder();
    let low = 0;
    let high = offsets.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (offsets[middle] <= offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Where the entry starting at `offset` ends: the next entry, or the pack's trailing checksum. */
  entryEnd(offset: number): number {
    const next = this.entriesUpTo(offset);
    return next < this.count ? this.offsetsInPackOrder()[next] : this.packSize - 20;
  }

  /** The index position of the entry that starts at `offset`, or undefined. */
  positionAt(offset: number): number | undefined {
    const rank = this.entriesUpTo(offset) - 1;
    return rank >= 0 && this.offsetsInPackOrder()[rank] === offset ? this.positionsInPackOrder()[rank] : undefined;
  }

  /**
   * The id at a position of the index (positions are in id order), as a view of its 20 bytes valid until the next
   * read of this index. Read through the window: in position order, as a merge reads them, a read a window.
   */
  idAt(position: number): Buffer {
    return this.range(NAMES_AT + position * 20, NAMES_AT + position * 20 + 20);
  }

  /** Orders the id at `position` against the id at `otherPosition` of `other`, as bytes. */
  compareIds(position: number, other: PackIndex, otherPosition: number): number {
    const mine = this.prefixes[position];
    const theirs = other.prefixes[otherPosition];
    if (mine !== theirs) return mine < theirs ? -1 : 1;
    // The same first four bytes: nearly always the same object, in both packs. A copy, as `other` may be this index.
    return Buffer.from(this.idAt(position)).compare(other.idAt(otherPosition));
  }

  /** Ids in this pack starting with a hex prefix (for short ids). */
  idsWithPrefix(prefix: string): string[] {
    const head = prefix.slice(0, 8);
    const ids: string[] = [];
    const last = parseInt(head.padEnd(8, 'f'), 16);
    for (let at = this.firstWithPrefix(parseInt(head.padEnd(8, '0'), 16)); at < this.count; at++) {
      if (this.prefixes[at] > last) break;
      const id = this.readId(at).toString('hex');
      if (id.startsWith(prefix)) ids.push(id);
    }
    return ids;
  }
}
