// The snapshots in a folder, newest first, with what `etcd list` shows about each.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SnapshotFileError } from './errors.ts';
import { parseSnapshotFileName, readSnapshotRevision } from './snapshot-file.ts';

export interface SnapshotEntry {
  name: string;
  file: string;
  takenAt: Date;
  bytes: number;
}

export interface SnapshotListing extends SnapshotEntry {
  /** Undefined when the file is too damaged to say; `checkSnapshotFile` tells what is wrong. */
  revision?: number;
}

/** Files named by `snapshotFileName` in `dir`, newest first (nothing else in the folder is looked at). */
export async function findSnapshots(dir: string): Promise<SnapshotEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new SnapshotFileError(
      `Cannot read the snapshot folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      { cause: error },
    );
  }
  const entries: SnapshotEntry[] = [];
  for (const name of names) {
    const takenAt = parseSnapshotFileName(name);
    if (!takenAt) continue;
    const file = join(dir, name);
    entries.push({ name, file, takenAt, bytes: (await stat(file)).size });
  }
  return entries.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}

/** `findSnapshots` plus each file's revision (a few pages read per file, however large). */
export async function listEtcdSnapshots(dir: string): Promise<SnapshotListing[]> {
  const listing: SnapshotListing[] = [];
  for (const entry of await findSnapshots(dir))
    listing.push({ ...entry, revision: await readSnapshotRevision(entry.file) });
  return listing;
}
