// A pack-entry thread: deflates blobs into pack entries for PackEntryThreads.
import { answerCalls, fromBufferBlock, type BufferBlock } from '../runtime/index.ts';
import { packEntry } from './object-writer.ts';
import { toPackedBlobs } from './pack-entry-threads.ts';

answerCalls((blobs: BufferBlock) => {
  const { packed, transfer } = toPackedBlobs(fromBufferBlock(blobs).map((content) => packEntry('blob', content)));
  return { reply: packed, transfer };
});
