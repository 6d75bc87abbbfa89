// A processed list page as it crosses between threads: the files' bytes and pack entries travel in
// transferred blocks (no copy, no per-file cloning), the rest as plain data.
import { fromBufferBlock, toBufferBlock, transferOf, type BufferBlock } from '../runtime/index.ts';
import { fromPackedBlobs, toPackedBlobs, type PackedBlobs } from '../store/pack-entry-threads.ts';
import type { ProcessedPage } from './list-page.ts';

export interface PageMessage extends Omit<ProcessedPage, 'files'> {
  paths: string[];
  namespaces: Array<string | undefined>;
  ids: string[];
  bytes: BufferBlock;
  packed: PackedBlobs;
}

export function toPageMessage(page: ProcessedPage): { message: PageMessage; transfer: ArrayBuffer[] } {
  const { files, ...rest } = page;
  const { packed, transfer } = toPackedBlobs(files.map((file) => file.blob.packed));
  const message: PageMessage = {
    ...rest,
    paths: files.map((file) => file.path),
    namespaces: files.map((file) => file.namespace),
    ids: files.map((file) => file.blob.id),
    bytes: toBufferBlock(files.map((file) => file.bytes)),
    packed,
  };
  return { message, transfer: [...transferOf(message.bytes), ...transfer] };
}

export function fromPageMessage(message: PageMessage): ProcessedPage {
  const { paths, namespaces, ids, bytes, packed, ...rest } = message;
  const contents = fromBufferBlock(bytes);
  const entries = fromPackedBlobs(packed);
  const files = paths.map((path, i) => ({
    path,
    namespace: namespaces[i],
    bytes: contents[i],
    blob: { id: ids[i], packed: entries[i] },
  }));
  return { ...rest, files };
}
