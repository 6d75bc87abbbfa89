import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { deflateSync } from 'node:zlib';
import { KubesnapError } from '../errors/index.ts';

const MB = 1 << 20;
/** Trees, index rows and file-system blocks a written file costs beside its deflated bytes, roughly. */
const OVERHEAD_PER_FILE = 200;
/** How many contents are deflated to learn how well the rest will compress. */
const SAMPLE_SIZE = 64;

/** The disk (or the quota) holding the repository ran out while kubesnap wrote to it. */
export class DiskFullError extends KubesnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EDISKFULL', message, 1, options);
  }
}

export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Free bytes on the file system holding `path`, or its nearest folder that exists (a first run took its away). */
function availableBytes(path: string): number {
  for (let at = path; ; at = dirname(at)) {
    try {
      const stats = statfsSync(at);
      return stats.bavail * stats.bsize;
    } catch {
      if (dirname(at) === at) return 0;
    }
  }
}

/**
 * The sentence for a write into the repository at `repositoryPath` that failed for want of space, when `error` is
 * that (ENOSPC, EDQUOT); any other error is returned as it is. `neededBytes` is what the failed write would have
 * stored; the space still free (after the caller removed what the write left) is taken off it.
 */
export function diskFullError(error: unknown, repositoryPath: string, neededBytes: number): unknown {
  if (!isDiskFull(error)) return error;
  const missing = Math.max(MB, neededBytes - availableBytes(repositoryPath));
  const what =
    (error as NodeJS.ErrnoException).code === 'EDQUOT'
      ? `the disk quota for ${repositoryPath} is used up`
      : `the disk holding ${repositoryPath} is full`;
  return new DiskFullError(`${what}: kubesnap needs about ${Math.ceil(missing / MB)} MB more.`, { cause: error });
}

/**
 * About how many bytes committing these files stores: deflated sizes where they are known, else the contents'
 * size at the compression a sample of them gets.
 */
export function estimateStoredBytes(
  files: { content: Buffer | string | null; blob?: { packed: { bytes: Buffer } } }[],
): number {
  let known = 0;
  const unpacked: Buffer[] = [];
  for (const file of files) {
    if (file.content === null) continue;
    if (file.blob) known += file.blob.packed.bytes.length;
    else unpacked.push(typeof file.content === 'string' ? Buffer.from(file.content) : file.content);
  }
  const sample = unpacked.slice(0, SAMPLE_SIZE);
  const sampleBytes = sample.reduce((sum, content) => sum + content.length, 0);
  const ratio = sampleBytes
    ? sample.reduce((sum, content) => sum + deflateSync(content, { level: 1 }).length, 0) / sampleBytes
    : 0;
  const unpackedBytes = unpacked.reduce((sum, content) => sum + content.length, 0);
  return known + unpackedBytes * ratio + files.length * OVERHEAD_PER_FILE;
}
