import { fromBufferBlock, toBufferBlock, transferOf, WorkerCalls, type BufferBlock } from '../runtime/index.ts';
import type { PackEntry } from './object-writer.ts';

export interface PackedBlobs {
  entries: BufferBlock;
  crcs: Uint32Array;
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
    const packed = await this.calls.call(block, transferOf(block));
    return fromBufferBlock(packed.entries).map((bytes, i) => ({ bytes, crc: packed.crcs[i] }));
  }

  close(): Promise<void> {
    return this.calls.close();
  }
}
