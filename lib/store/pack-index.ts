import { RepositoryError } from '../errors/index.ts';

/** A loaded pack index (.idx version 2): which objects a pack holds and where. */
export class PackIndex {
  readonly count: number;
  private readonly fanout: Uint32Array;
  private readonly names: Buffer;
  private readonly data: Buffer;
  private readonly offsetsAt: number;
  private readonly largeOffsetsAt: number;
  private sortedOffsets?: Float64Array;

  constructor(data: Buffer, readonly packSize: number) {
    if (data.readUInt32BE(0) !== 0xff744f63 || data.readUInt32BE(4) !== 2) {
      throw new RepositoryError('A pack index in the repository is not version 2; run "git repack -a -d" to rewrite it.');
    }
    this.data = data;
    this.fanout = new Uint32Array(256);
    for (let i = 0; i < 256; i++) this.fanout[i] = data.readUInt32BE(8 + i * 4);
    this.count = this.fanout[255];
    const namesAt = 8 + 256 * 4;
    this.names = data.subarray(namesAt, namesAt + this.count * 20);
    this.offsetsAt = namesAt + this.count * 24; // names, then one CRC32 each
    this.largeOffsetsAt = this.offsetsAt + this.count * 4;
  }

  private position(id: Buffer): number {
    let low = id[0] === 0 ? 0 : this.fanout[id[0] - 1];
    let high = this.fanout[id[0]];
    while (low < high) {
      const middle = (low + high) >>> 1;
      const order = this.names.compare(id, 0, 20, middle * 20, middle * 20 + 20);
      if (order === 0) return middle;
      if (order > 0) high = middle;
      else low = middle + 1;
    }
    return -1;
  }

  private offsetAt(position: number): number {
    const small = this.data.readUInt32BE(this.offsetsAt + position * 4);
    if (!(small & 0x80000000)) return small;
    return Number(this.data.readBigUInt64BE(this.largeOffsetsAt + (small & 0x7fffffff) * 8));
  }

  /** Offset of the object in the pack, or undefined when the pack does not hold it. */
  offset(id: Buffer): number | undefined {
    const position = this.position(id);
    return position < 0 ? undefined : this.offsetAt(position);
  }

  /** Where the entry starting at `offset` ends: the next entry, or the pack's trailing checksum. */
  entryEnd(offset: number): number {
    if (!this.sortedOffsets) {
      const offsets = new Float64Array(this.count);
      for (let i = 0; i < this.count; i++) offsets[i] = this.offsetAt(i);
      this.sortedOffsets = offsets.sort();
    }
    const offsets = this.sortedOffsets;
    let low = 0;
    let high = offsets.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (offsets[middle] <= offset) low = middle + 1;
      else high = middle;
    }
    return low < offsets.length ? offsets[low] : this.packSize - 20;
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
