// A pack-entry thread: deflates blobs into pack entries for PackEntryThreads.
import { answerCalls, fromBufferBlock, toBufferBlock, transferOf, type BufferBlock } from '../runtime/index.ts';
import { packEntry } from './object-writer.ts';
import type { PackedBlobs } from './pack-entry-threads.ts';

answerCalls((blobs: BufferBlock) => {
  const entries = fromBufferBlock(blobs).map((content) => packEntry('blob', content));
  const reply: PackedBlobs = { entries: toBufferBlock(entries.map((entry) => entry.bytes)), crcs: Uint32Array.from(entries, (entry) => entry.crc) };
  return { reply, transfer: [...transferOf(reply.entries), reply.crcs.buffer as ArrayBuffer] };
});
