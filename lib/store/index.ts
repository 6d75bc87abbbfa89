/**
 * lib/store — the only code that touches Git.
 *
 * Writes snapshots straight into a repository's object database, no checkout needed: blobs and trees hashed
 * with node:crypto, deflated with node:zlib, many new objects as one pack (+ .idx v2) per commit, few as loose
 * objects (put into a pack once there are about 6,700, git's gc.auto); a commit that leaves more than 8 packs merges
 * the smallest into one, as `git repack --geometric=2` does (entries copied as they are, the deltas of fetched packs
 * included; a merge of 20,000 objects or more on a thread of its own, compaction.ts). Trees stay in memory between
 * commits with structural sharing, so an incremental commit writes and hashes only the new blobs and the trees above
 * them. The branch moves last, atomically (`<ref>.lock`, compare with the expected old value, reflog, rename): a
 * crash at any moment leaves the old, consistent state.
 * History is read back with our own reader of loose objects and packs (deltas included).
 *
 *   const repo = await SnapshotRepository.open(dir, { create? = true, bare? = true, branch? })
 *     branch defaults to the one HEAD points at, else 'main'; RepositoryError for a file, a non-empty folder
 *     that is not git, a corrupt HEAD, a missing folder with create: false
 *   repo.dir, repo.gitdir, repo.bare, repo.branch
 *   await repo.head()                                   → commit id | undefined (unborn)
 *   await repo.commitChanges([{ path, content: Buffer | string | null }],
 *                            { message, author, committer?, allowEmpty?, replaceAll? })
 *                                                       → { commit, tree, changed } | undefined (tree unchanged)
 *   await repo.readFiles(rev?)                          → Map<path, blob id> (a copy; cached per tree)
 *   await repo.readFolderNames(path)                    → the folders in a folder of the branch head
 *   await repo.readBlob(id)                             → Buffer
 *   await repo.readFile(rev, path)                      → Buffer | undefined
 *   await repo.log({ ref?, path?, paths?, limit? })     → [{ commit, parents, message, author, committer, tree }]
 *            ({ from: [ids], queued: [] })             walks from several commits; queued: where a walk stopped by limit goes on
 *   await repo.resolve(rev)                             → commit id: full/short ids, branches, tags, HEAD,
 *                                                         HEAD~N, HEAD^N, <ref>@{<date>}, <ref>@{N}
 *   await repo.commitAt(date, ref?)                     → the last commit at or before date | undefined
 *   await resolveRevisionSpec(repo, 'HEAD~1' | { at })   → { label, commit }: a revision or a time, as the user spelled it
 *   await repo.close()                                  → closes pack files (optional)
 *   await repo.fastForward(commit)                      → moves the branch to a fetched commit that contains its head
 *   repo.isAncestor(ancestor, commit), repo.parentsOf(commit)
 *   commitChanges(..., { mergeParents: [remoteTip] })   → a merge commit: parents [head, ...mergeParents]
 *   const lock = await acquireLock(repo | dir, { pid, host, command }); await lock.release()
 *   hashObject(type, bytes)                             → the id git gives those bytes
 *   prepareBlob(bytes)                                  → { id, packed }: hashed and deflated ahead (a worker thread);
 *                                                         pass it as FileChange.blob and the commit skips both
 *   new PackEntryThreads().blobEntries(contents)        → the pack entries of blobs, deflated on another thread
 *   await changedPaths(repo, fromCommit | undefined, toCommit) → [{ path, before?, after? }]
 *
 * In a non-bare repository with the branch checked out, the work tree and index follow each commit (only the
 * changed paths are touched); uncommitted changes to a path about to change are refused with RepositoryError.
 * Errors are RepositoryError (bad folder, unknown revision, unsafe path, dirty work tree, branch moved meanwhile),
 * LockedError, and DiskFullError (ENOSPC/EDQUOT while writing: what the write left is removed, the branch has not
 * moved; disk-full.ts).
 */
import { resolve } from 'node:path';
import { acquireLockFile, type LockHolder, type LockOptions } from './lock.ts';
import { findRepository } from './repository-layout.ts';
import { SnapshotRepository } from './snapshot-repository.ts';
import { sweepTemporaryFiles } from './temporary-files.ts';

export type { Author } from './git-object.ts';
export { hashObject } from './git-object.ts';
export { prepareBlob } from './prepared-blob.ts';
export { PackEntryThreads } from './pack-entry-threads.ts';
export type { LockHolder, LockOptions } from './lock.ts';
export { parseRevisionRange } from './revision-syntax.ts';
export { parseApproxidate } from './approxidate.ts';
export { resolveRevisionSpec, type RevisionSpec } from './revision-spec.ts';
export type { FileChange, LogEntry } from './snapshot-repository.ts';
export { SnapshotRepository };
export { changedPaths } from './tree-diff.ts';

/**
 * Takes the repository's kubesnap lock (`<gitdir>/kubesnap.lock`, created atomically, JSON of who and since when).
 * `repo` may be an opened repository or a repository folder. A lock whose process is gone from this host (or whose
 * pid is now another process: a restarted PID 1), or from another host whose holder stopped touching it (every
 * `heartbeatMs`, default 30 s) five minutes ago, is taken over, by one starter only; otherwise LockedError names
 * the holder: "repository is locked by kubesnap watch (pid 1234 on host x) since ...". Holding it, sweeps what
 * writes of an earlier kubesnap left (temporary-files.ts).
 */
export async function acquireLock(
  repo: SnapshotRepository | string,
  holder: LockHolder,
  options?: LockOptions,
): Promise<{ release(): Promise<void> }> {
  const gitdir = typeof repo === 'string' ? (findRepository(resolve(repo))?.gitdir ?? repo) : repo.gitdir;
  const lock = await acquireLockFile(gitdir, holder, options);
  sweepTemporaryFiles(gitdir);
  return lock;
}
