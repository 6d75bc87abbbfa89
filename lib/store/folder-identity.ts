import { statSync, type BigIntStats } from 'node:fs';

/** The identity of a folder: a folder deleted and created again under the same name has another. */
export type FolderIdentity = string;

/** Undefined when `path` is missing or not a folder. */
export function folderIdentity(path: string): FolderIdentity | undefined {
  let stats: BigIntStats | undefined;
  try {
    stats = statSync(path, { bigint: true });
  } catch {
    return undefined;
  }
  // An inode number can be reused at once after a deletion; the birth time (where the file system keeps one) cannot.
  return stats.isDirectory() ? `${stats.dev}:${stats.ino}:${stats.birthtimeNs}` : undefined;
}
