// A processed list page as it crosses between threads: the files' bytes and pack entries travel in one
// transferred buffer (no copy, no per-file cloning), the rest as plain data.
import { KubesnapError } from '../errors/index.ts';
import type { ProcessedPage } from './list-page.ts';

export interface PageMessage extends Omit<ProcessedPage, 'files'> {
  paths: string[];
  namespaces: Array<string | undefined>;
  ids: string[];
  /** Every file's YAML bytes, then its pack entry, one file after the other. */
  data: ArrayBuffer;
  /** File i's bytes are data[ends[2i], ends[2i+1]), its pack entry data[ends[2i+1], ends[2i+2]). */
  ends: Uint32Array;
  /** The CRC-32 of each pack entry. */
  crcs: Uint32Array;
}

export function toPageMessage(page: ProcessedPage): { message: PageMessage; transfer: ArrayBuffer[] } {
  const { files, ...rest } = page;
  const ends = new Uint32Array(files.length * 2 + 1);
  const crcs = new Uint32Array(files.length);
  let size = 0;
  files.forEach((file, i) => {
    ends[2 * i + 1] = size += file.bytes.length;
    ends[2 * i + 2] = size += file.blob.packed.bytes.length;
    crcs[i] = file.blob.packed.crc;
  });
  const data = new Uint8Array(size);
  files.forEach((file, i) => {
    data.set(file.bytes, ends[2 * i]);
    data.set(file.blob.packed.bytes, ends[2 * i + 1]);
  });
  const message: PageMessage = {
    ...rest,
    paths: files.map((file) => file.path),
    namespaces: files.map((file) => file.namespace),
    ids: files.map((file) => file.blob.id),
    data: data.buffer,
    ends,
    crcs,
  };
  return { message, transfer: [data.buffer, ends.buffer, crcs.buffer] };
}

export function fromPageMessage(message: PageMessage): ProcessedPage {
  const { paths, namespaces, ids, data, ends, crcs, ...rest } = message;
  const bytes = Buffer.from(data);
  const files = paths.map((path, i) => ({
    path,
    namespace: namespaces[i],
    bytes: bytes.subarray(ends[2 * i], ends[2 * i + 1]),
    blob: { id: ids[i], packed: { bytes: bytes.subarray(ends[2 * i + 1], ends[2 * i + 2]), crc: crcs[i] } },
  }));
  return { ...rest, files };
}

/** An error thrown in a worker, as plain data. */
export interface ErrorMessage {
  name: string;
  message: string;
  code?: string;
  exitCode?: number;
}

export function toErrorMessage(error: unknown): ErrorMessage {
  const { name = 'Error', message = String(error) } = error as Error;
  return error instanceof KubesnapError ? { name, message, code: error.code, exitCode: error.exitCode } : { name, message };
}

/** The error again on this side: a KubesnapError keeps its code and exit code (and so its one-sentence output). */
export function fromErrorMessage(error: ErrorMessage): Error {
  const rebuilt = error.code === undefined ? new Error(error.message) : new KubesnapError(error.code, error.message, error.exitCode);
  rebuilt.name = error.name;
  return rebuilt;
}
