import { fromBufferBlock, toBufferBlock, transferOf, WorkerCalls, type BufferBlock } from '../runtime/index.ts';
import type { PackEntry } from './object-writer.ts';

/** Pack entries as they cross between threads: their bytes in one transferred block, their CRC-32s beside. */
export interface PackedBlobs {
  entries: BufferBlock;
  crcs: Uint32Array;
}

export function toPackedBlobs(entries: readonly PackEntry[]): { packed: PackedBlobs; transfer: ArrayBuffer[] } {
  const packed: PackedBlobs = {
    entries: toBufferBlock(entries.map((entry) => entry.bytes)),
    crcs: Uint32Array.from(entries, (entry) => entry.crc),
  };
  return { packed, transfer: [...transferOf(packed.entries), packed.crcs.buffer as ArrayBuffer] };
}

export function fromPackedBlobs(packed: PackedBlobs): PackEntry[] {
  return fromBufferBlock(packed.entries).map((bytes, i) => ({ bytes, crc: packed.crcs[i] }));
}

/** The most blob bytes sent to the thread in one call. */
const BLOCK_BYTES = 4 << 20;

/**
 * Deflates blobs into pack entries on another thread (pack.worker.ts), for code that lays out objects on the main
 * thread: deflating is a third of the CPU a small snapshot spends per object, and a second core is there for it.
 */
export class PackEntryThreads {
  private readonly calls: WorkerCalls<BufferBlock, PackedBlobs>;

  constructor(threads = 1) {
    this.calls = new WorkerCalls(new URL('./pack.worker.ts', import.meta.url), threads);
  }

  /**
   * Sent in blocks of a few MB, one after the other: a first sync's 100,000 blobs in one block would hold the
   * cluster's YAML twice more at once (the block, and the entries coming back), and the thread's allocator keeps
   * what it once needed.
   */
  async blobEntries(contents: readonly Buffer[]): Promise<PackEntry[]> {
    const entries: PackEntry[] = [];
    for (let first = 0; first < contents.length; ) {
      let end = first + 1;
      let bytes = contents[first].length;
      while (end < contents.length && bytes + contents[end].length <= BLOCK_BYTES) bytes += contents[end++].length;
      const block = toBufferBlock(contents.slice(first, end));
      entries.push(...fromPackedBlobs(await this.calls.call(block, transferOf(block))));
      first = end;
    }
    return entries;
  }

  close(): Promise<void> {
    return this.calls.close();
  }
}
