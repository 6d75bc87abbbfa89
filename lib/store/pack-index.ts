import { RepositoryError } from '../errors/index.ts';

/** A loaded pack index (.idx version 2): which objects a pack holds and where. */
export class PackIndex {
  readonly count: number;
  private readonly fanout: Uint32Array;
  private readonly names: Buffer;
  private readonly data: Buffer;
  private readonly crcsAt: number;
  private readonly offsetsAt: number;
  private readonly largeOffsetsAt: number;
  private sortedOffsets?: Float64Array;
  private sortedPositions?: Uint32Array;

  constructor(
    data: Buffer,
    readonly packSize: number,
  ) {
    if (data.readUInt32BE(0) !== 0xff744f63 || data.readUInt32BE(4) !== 2) {
      throw new RepositoryError(
        'A pack index in the repository is not version 2; run "git repack -a -d" to rewrite it.',
      );
    }
    this.data = data;
    this.fanout = new Uint32Array(256);
    for (let i = 0; i < 256; i++) this.fanout[i] = data.readUInt32BE(8 + i * 4);
    this.count = this.fanout[255];
    const namesAt = 8 + 256 * 4;
    this.names = data.subarray(namesAt, namesAt + this.count * 20);
    this.crcsAt = namesAt + this.count * 20;
    this.offsetsAt = this.crcsAt + this.count * 4;
    this.largeOffsetsAt = this.offsetsAt + this.count * 4;
  }

  private position(id: Buffer): number {
    let low = id[0] === 0 ? 0 : this.fanout[id[0] - 1];
    let high = this.fanout[id[0]];
    // As in compareIds: the first four bytes, read here, settle nearly every step without a Buffer call. Most
    // lookups are misses (is this new object stored already?) and end without one.
    const head = id.readUInt32BE(0);
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = this.names.readUInt32BE(middle * 20);
      const order =
        head !== other ? (other > head ? 1 : -1) : this.names.compare(id, 0, 20, middle * 20, middle * 20 + 20);
      if (order === 0) return middle;
      if (order > 0) high = middle;
      else low = middle + 1;
    }
    return -1;
  }

  /** The offset in the pack of the entry at a position of the index. */
  offsetAt(position: number): number {
    const small = this.data.readUInt32BE(this.offsetsAt + position * 4);
    if (!(small & 0x80000000)) return small;
    return Number(this.data.readBigUInt64BE(this.largeOffsetsAt + (small & 0x7fffffff) * 8));
  }

  /** Offset of the object in the pack, or undefined when the pack does not hold it. */
  offset(id: Buffer): number | undefined {
    const position = this.position(id);
    return position < 0 ? undefined : this.offsetAt(position);
  }

  /** The offsets of every entry, ascending: the order of the entries in the pack. */
  offsetsInPackOrder(): Float64Array {
    if (!this.sortedOffsets) {
      const offsets = new Float64Array(this.count);
      for (let i = 0; i < this.count; i++) offsets[i] = this.offsetAt(i);
      this.sortedOffsets = offsets.sort();
    }
    return this.sortedOffsets;
  }

  /** The index positions of every entry, in the order of the entries in the pack (of offsetsInPackOrder). */
  positionsInPackOrder(): Uint32Array {
    if (!this.sortedPositions) {
      this.sortedPositions = new Uint32Array(this.count);
      for (let i = 0; i < this.count; i++) this.sortedPositions[this.entriesUpTo(this.offsetAt(i)) - 1] = i;
    }
    return this.sortedPositions;
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

  /** The id at a position of the index (positions are in id order), as a view of its 20 bytes. */
  idAt(position: number): Buffer {
    return this.names.subarray(position * 20, position * 20 + 20);
  }

  /** The CRC-32 the index keeps of the entry at a position (its header and zlib data). */
  crcAt(position: number): number {
    return this.data.readUInt32BE(this.crcsAt + position * 4);
  }

  /** Orders the id at `position` against the id at `otherPosition` of `other`, as bytes. */
  compareIds(position: number, other: PackIndex, otherPosition: number): number {
    // The first four bytes nearly always differ, and comparing them here is several times cheaper than a Buffer call.
    const mine = this.names.readUInt32BE(position * 20);
    const theirs = other.names.readUInt32BE(otherPosition * 20);
    if (mine !== theirs) return mine < theirs ? -1 : 1;
    return this.names.compare(
      other.names,
      otherPosition * 20,
      otherPosition * 20 + 20,
      position * 20,
      position * 20 + 20,
    );
  }

  /** Ids in this pack starting with a hex prefix (for short ids). */
  idsWithPrefix(prefix: string): string[] {
    const first = parseInt(prefix.slice(0, 2).padEnd(2, '0'), 16);
    const start = prefix.length >= 2 ? (first === 0 ? 0 : this.fanout[first - 1]) : 0;
    const ids: string[] = [];
    for (let i = start; i < this.count; i++) {
      const id = this.names.toString('hex', i * 20, i * 20 + 20);
      if (id.startsWith(prefix)) ids.push(id);
      else if (id > prefix) break;
    }
    return ids;
  }
}
