// One etcd snapshot on disk: its name (`etcd-<UTC time>.db`), the `.sha256` beside it (sha256sum's
// format), and the integrity check of its contents.
import { createHash } from 'node:crypto';
import { createReadStream, readSync } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { inspectBoltDatabase, readBoltRevision, type BoltReport, type PageSource } from './bolt.ts';
import { SnapshotFileError } from './errors.ts';

const namePattern = /^etcd-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z\.db$/;
const hashBytes = 32;

/** `etcd-20261124T033708123Z.db`: sorts by time, no characters any filesystem minds. */
export function snapshotFileName(takenAt: Date): string {
  return `etcd-${takenAt.toISOString().replace(/[-:.]/g, '')}.db`;
}

/** The time in a name `snapshotFileName` made; undefined for any other file. */
export function parseSnapshotFileName(name: string): Date | undefined {
  const match = namePattern.exec(name);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, millisecond] = match;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millisecond}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function checksumFileContent(sha256: string, fileName: string): string {
  return `${sha256}  ${fileName}\n`;
}

export interface SnapshotCheck {
  file: string;
  bytes: number;
  /** sha256 of the whole file, as the `.sha256` beside it records. */
  sha256: string;
  /** True when the file ends with the sha256 etcd appends to a snapshot (and it matches). */
  etcdHashAppended: boolean;
  /** What the `.sha256` beside the file says, when there is one. */
  recordedSha256?: string;
  revision?: number;
  totalKeys: number;
  /** Empty when the file is a whole snapshot. */
  problems: string[];
}

/**
 * Checks a snapshot: the `.sha256` beside it (when present), etcd's appended sha256 of the rest of the
 * file (present whenever the length is a multiple of 512 plus 32, as `etcdutl snapshot restore` decides),
 * and the bolt structure. A file copied from a member's data directory has no appended hash: that is
 * reported, not a problem.
 */
export async function checkSnapshotFile(file: string): Promise<SnapshotCheck> {
  return withSnapshotFile(file, async (source, size) => {
    const problems: string[] = [];
    const etcdHashAppended = size % 512 === hashBytes;
    const hashes = await hashFile(file, etcdHashAppended ? hashBytes : 0);
    const sha256 = hashes.whole;
    const recordedSha256 = await readRecordedSha256(`${file}.sha256`);
    if (recordedSha256 !== undefined && recordedSha256 !== sha256)
      problems.push(`its sha256 is ${sha256}, not ${recordedSha256} as ${basename(file)}.sha256 records`);
    if (etcdHashAppended && !hashes.withoutTrailer.equals(hashes.trailer))
      problems.push('the sha256 etcd appended to the snapshot does not match its contents');

    const database: PageSource = { size: etcdHashAppended ? size - hashBytes : size, read: source.read };
    const bolt: BoltReport =
      size === 0 ? { totalKeys: 0, buckets: [], problems: ['the file is empty'] } : inspectBoltDatabase(database);
    problems.push(...bolt.problems);
    if (bolt.databaseBytes !== undefined && database.size > bolt.databaseBytes && etcdHashAppended) {
      problems.push(
        `the database takes ${bolt.databaseBytes} bytes but the snapshot holds ${database.size} before its hash`,
      );
    }
    if (bolt.meta && !bolt.buckets.includes('key'))
      problems.push('it has no "key" bucket, so it is not an etcd v3 database');
    return {
      file,
      bytes: size,
      sha256,
      etcdHashAppended,
      recordedSha256,
      revision: bolt.revision,
      totalKeys: bolt.totalKeys,
      problems,
    };
  });
}

/** The snapshot's etcd revision, reading only the few pages on the way to it. */
export async function readSnapshotRevision(file: string): Promise<number | undefined> {
  return withSnapshotFile(file, async (source, size) => {
    const hasTrailer = size % 512 === hashBytes;
    return readBoltRevision({ size: hasTrailer ? size - hashBytes : size, read: source.read });
  });
}

async function withSnapshotFile<T>(file: string, use: (source: PageSource, size: number) => Promise<T>): Promise<T> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new SnapshotFileError(
      `Cannot read the snapshot ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      { cause: error },
    );
  }
  try {
    const { size } = await handle.stat();
    const fd = handle.fd;
    const read = (offset: number, length: number): Buffer => {
      const buffer = Buffer.alloc(length);
      const got = readSync(fd, buffer, 0, length, offset);
      return buffer.subarray(0, got);
    };
    return await use({ size, read }, size);
  } finally {
    await handle.close();
  }
}

/** sha256 of the whole file, and (when it has one) of everything before its trailer, with the trailer itself: one pass. */
async function hashFile(
  file: string,
  trailerBytes: number,
): Promise<{ whole: string; withoutTrailer: Buffer; trailer: Buffer }> {
  const whole = createHash('sha256');
  const withoutTrailer = createHash('sha256');
  let tail = Buffer.alloc(0);
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    whole.update(chunk);
    const pending = Buffer.concat([tail, chunk]);
    const cut = Math.max(0, pending.length - trailerBytes);
    withoutTrailer.update(pending.subarray(0, cut));
    tail = pending.subarray(cut);
  }
  return { whole: whole.digest('hex'), withoutTrailer: withoutTrailer.digest(), trailer: tail };
}

async function readRecordedSha256(path: string): Promise<string | undefined> {
  try {
    const text = await readFile(path, 'utf8');
    return /^([0-9a-f]{64})\b/.exec(text.trim())?.[1] ?? '(unreadable)';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
