/**
 * lib/store — the only code that touches Git. Writes snapshots straight into a repository's object database
 * (blobs and trees hashed with node:crypto, deflated with node:zlib, many objects as one pack per commit, few
 * as loose objects), keeps trees in memory between commits so an incremental commit only writes and hashes
 * what changed, and reads history back (log, revisions, files) with its own reader of loose objects and packs.
 *
 *   const repo = await SnapshotRepository.open(dir, { create?, bare? = true, branch? })
 *   repo.dir, repo.gitdir, repo.bare, repo.branch
 *   await repo.head()                                   → commit id | undefined (unborn)
 *   await repo.commitChanges([{ path, content | null }], { message, author, committer?, allowEmpty?, replaceAll? })
 *                                                       → { commit, tree, changed } | undefined (nothing changed)
 *   await repo.readFiles(rev?)                          → Map<path, blob id>
 *   await repo.readBlob(id) / repo.readFile(rev, path)  → Buffer (| undefined)
 *   await repo.log({ ref?, path?, limit? })             → [{ commit, parents, message, author, committer, tree }]
 *   await repo.resolve(rev)                             → commit id (ids, short ids, branches, tags, HEAD~N, ref@{date})
 *   await repo.commitAt(date, ref?)                     → the last commit at or before date
 *   const lock = await acquireLock(repo | gitdir, { pid, host, command }); await lock.release()
 *
 * Errors are RepositoryError (bad folder, unknown revision, unsafe path, dirty work tree) and LockedError.
 */
import { resolve } from 'node:path';
import { acquireLockFile, type LockHolder } from './lock.ts';
import { findRepository } from './repository-layout.ts';
import { SnapshotRepository } from './snapshot-repository.ts';

export type { Author } from './git-object.ts';
export { hashObject } from './git-object.ts';
export type { LockHolder } from './lock.ts';
export type { CommitOptions, CommitResult, FileChange, LogEntry, OpenOptions } from './snapshot-repository.ts';
export { SnapshotRepository };

/**
 * Takes the repository's kubesnap lock (`<gitdir>/kubesnap.lock`, O_EXCL, JSON of who and since when).
 * `repo` may be an opened repository or a repository folder. A lock whose process is gone from this host is taken over; otherwise LockedError names the holder.
 */
export async function acquireLock(repo: SnapshotRepository | string, holder: LockHolder): Promise<{ release(): Promise<void> }> {
  const gitdir = typeof repo === 'string' ? (findRepository(resolve(repo))?.gitdir ?? repo) : repo.gitdir;
  return acquireLockFile(gitdir, holder);
}
export { changedPaths, type ChangedPath } from './tree-diff.ts';
