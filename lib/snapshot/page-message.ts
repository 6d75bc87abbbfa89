// A processed list page as it crosses between threads: the files' bytes and pack entries travel in two
// transferred blocks (no copy, no per-file cloning), the rest as plain data.
import { fromBufferBlock, toBufferBlock, transferOf, type BufferBlock } from '../runtime/index.ts';
import type { ProcessedPage } from './list-page.ts';

export interface PageMessage extends Omit<ProcessedPage, 'files'> {
  paths: string[];
  namespaces: Array<string | undefined>;
  ids: string[];
  bytes: BufferBlock;
  entries: BufferBlock;
  /** The CRC-32 of each pack entry. */
  crcs: Uint32Array;
}

export function toPageMessage(page: ProcessedPage): { message: PageMessage; transfer: ArrayBuffer[] } {
  const { files, ...rest } = page;
  const message: PageMessage = {
    ...rest,
    paths: files.map((file) => file.path),
    namespaces: files.map((file) => file.namespace),
    ids: files.map((file) => file.blob.id),
    bytes: toBufferBlock(files.map((file) => file.bytes)),
    entries: toBufferBlock(files.map((file) => file.blob.packed.bytes)),
    crcs: Uint32Array.from(files, (file) => file.blob.packed.crc),
  };
  return { message, transfer: [...transferOf(message.bytes, message.entries), message.crcs.buffer as ArrayBuffer] };
}

export function fromPageMessage(message: PageMessage): ProcessedPage {
  const { paths, namespaces, ids, bytes, entries, crcs, ...rest } = message;
  const contents = fromBufferBlock(bytes);
  const packed = fromBufferBlock(entries);
  const files = paths.map((path, i) => ({ path, namespace: namespaces[i], bytes: contents[i], blob: { id: ids[i], packed: { bytes: packed[i], crc: crcs[i] } } }));
  return { ...rest, files };
}
