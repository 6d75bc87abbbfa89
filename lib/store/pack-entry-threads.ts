import { fromBufferBlock, toBufferBlock, transferOf, WorkerCalls, type BufferBlock } from '../runtime/index.ts';
import type { PackEntry } from './object-writer.ts';

/** Pack entries as they cross between threads: their bytes in one transferred block, their CRC-32s beside. */
export interface PackedBlobs {
  entries: BufferBlock;
  crcs: Uint32Array;
}

export function toPackedBlobs(entries: readonly PackEntry[]): { packed: PackedBlobs; transfer: ArrayBuffer[] } {
  const packed: PackedBlobs = { entries: toBufferBlock(entries.map((entry) => entry.bytes)), crcs: Uint32Array.from(entries, (entry) => entry.crc) };
  return { packed, transfer: [...transferOf(packed.entries), packed.crcs.buffer as ArrayBuffer] };
}

export function fromPackedBlobs(packed: PackedBlobs): PackEntry[] {
  return fromBufferBlock(packed.entries).map((bytes, i) => ({ bytes, crc: packed.crcs[i] }));
}

/**
 * Deflates blobs into pack entries on another thread (pack.worker.ts), for code that lays out objects on the main
 * thread: deflating is a third of the CPU a small snapshot spends per object, and a second core is there for it.
 */
export class PackEntryThreads {
  private readonly calls: WorkerCalls<BufferBlock, PackedBlobs>;

  constructor(threads = 1) {
    this.calls = new WorkerCalls(new URL('./pack.worker.ts', import.meta.url), threads);
  }

  async blobEntries(contents: readonly Buffer[]): Promise<PackEntry[]> {
    const block = toBufferBlock(contents);
    return fromPackedBlobs(await this.calls.call(block, transferOf(block)));
  }

  close(): Promise<void> {
    return this.calls.close();
  }
}
