import { basename, join } from 'node:path';
import { RepositoryError } from '../errors/index.ts';
import { systemClock, type Clock } from '../health/index.ts';
import { Compaction } from './compaction.ts';
import { HistoryMemo } from './history-memo.ts';
import { diskFullError, estimateStoredBytes, isDiskFull } from './disk-full.ts';
import {
  completeAuthor,
  encodeCommit,
  formatIdentity,
  hashObject,
  parseCommit,
  TREE_MODE,
  type Author,
  type CommitData,
} from './git-object.ts';
import { ObjectReader, StoredObjects } from './object-reader.ts';
import { writeLooseObject, writePack, type NewObject } from './object-writer.ts';
import type { PreparedBlob } from './prepared-blob.ts';
import { Notes } from './notes.ts';
import { RefStore } from './refs.ts';
import {
  isUnusedCreation,
  isValidBranchName,
  openLayout,
  removeCreated,
  type CreatedRepository,
} from './repository-layout.ts';
import { mergeBase, resolveRevision } from './revision.ts';
import { removeFailedWriteFiles } from './temporary-files.ts';
import { TreeCache, type BlobChange } from './tree-cache.ts';
import { diffCommits, type ChangedPath } from './tree-diff.ts';
import { WorkTree, type WorkTreeChange } from './work-tree.ts';

export interface FileChange {
  /** '/'-separated, relative; '..', '.', empty segments, '.git' and NUL are refused. */
  path: string;
  /** The file's bytes, or null to delete it. */
  content: Buffer | string | null;
  /** The blob of `content`, when it was already hashed and deflated (prepareBlob, e.g. in a worker thread). */
  blob?: PreparedBlob;
}

export interface CommitOptions {
  message: string;
  author: Author;
  /** Defaults to the author. */
  committer?: Author;
  /** Commit even when the tree did not change. */
  allowEmpty?: boolean;
  /** The changes are the complete new tree: every file not listed is deleted. */
  replaceAll?: boolean;
  /** Parents after the branch head: the tips of histories this commit merges (a remote's branch). */
  mergeParents?: string[];
}

export interface CommitResult {
  commit: string;
  tree: string;
  /** Files added, changed or deleted by the commit. */
  changed: number;
}

export interface LogEntry {
  commit: string;
  parents: string[];
  message: string;
  author: Required<Author>;
  committer: Required<Author>;
  tree: string;
}

export interface OpenOptions {
  /** Create the repository when the folder is missing or empty (default true). */
  create?: boolean;
  /** Create a bare repository (default true); ignored when the repository exists. */
  bare?: boolean;
  /** The branch to read and write; default: the branch HEAD points at, else 'main'. */
  branch?: string;
  /** The time of a commit whose author has none, and so of its reflog entry. */
  clock?: Clock;
}

/** More new objects than this go into one pack file; fewer are written loose (git's own unpack limit). */
const LOOSE_OBJECT_LIMIT = 100;
/** Times a commit's objects are written before giving up when something keeps deleting them (`git prune` in a loop). */
const STORE_ATTEMPTS = 3;
/**
 * The objects of this many last commits are checked again at each commit: a `git repack -ad` or `git prune` that read
 * the refs before one of them moved its branch deletes its new objects when it ends, after that commit's own checks.
 */
const RECHECKED_COMMITS = 4;
/** A commit of more new objects than this (a first snapshot) is not kept for checking again: it would hold its blobs. */
const RECHECKED_OBJECTS_LIMIT = 10_000;

/** A Git repository that kubesnap writes snapshots into and reads history from. The only code that touches Git. */
export class SnapshotRepository {
  private readonly reader: ObjectReader;
  private readonly refs: RefStore;
  private readonly trees: TreeCache;
  private readonly history: HistoryMemo;
  private readonly compaction: Compaction;
  /** Where the objects of the last commits are (RECHECKED_COMMITS), newest last. */
  private recentlyStored: Array<StoredObjects<NewObject>> = [];
  /** Commits of this instance run one after the other: each must start from the head the previous one left. */
  private commitQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    readonly gitdir: string,
    readonly bare: boolean,
    readonly branch: string,
    /** Set when open() created the repository (discardIfUnused). */
    private readonly created?: CreatedRepository,
    private readonly clock: Clock = systemClock,
  ) {
    this.reader = new ObjectReader(join(gitdir, 'objects'));
    this.refs = new RefStore(gitdir);
    this.trees = new TreeCache(this.reader);
    this.history = new HistoryMemo((id) => this.readCommit(id), this.trees);
    this.compaction = new Compaction(this.reader);
  }

  static async open(dir: string, options: OpenOptions = {}): Promise<SnapshotRepository> {
    if (options.branch !== undefined && !isValidBranchName(options.branch)) {
      throw new RepositoryError(`"${options.branch}" is not a valid branch name.`);
    }
    const layout = openLayout(dir, {
      create: options.create !== false,
      bare: options.bare !== false,
      branch: options.branch ?? 'main',
    });
    const refs = new RefStore(layout.gitdir);
    const headBranch = refs.headTarget()?.match(/^refs\/heads\/(.+)$/)?.[1];
    return new SnapshotRepository(
      layout.dir,
      layout.gitdir,
      layout.bare,
      options.branch ?? headBranch ?? 'main',
      layout.created,
      options.clock,
    );
  }

  /**
   * Takes the repository away again when open() created it and it has no ref yet, so a command that failed before it
   * had anything to write (an unknown kind, an unreachable server) leaves the folder as it was. Only the repository
   * open() created: one made in its place after it was deleted (same path, another git folder) is left alone.
   */
  async discardIfUnused(): Promise<void> {
    if (!this.created || !isUnusedCreation(this.created)) return;
    await this.close();
    removeCreated(this.created);
  }

  /**
   * Waits for a pack merge running on its thread to be in place, then closes the pack files this instance has open.
   * Optional for a short-lived process (a running merge keeps it alive until it is in place); the instance stays
   * usable.
   */
  async close(): Promise<void> {
    await this.compaction.close();
    this.reader.close();
  }

  /**
   * Why keeping the object database compact (packing loose objects, merging packs, compaction.ts) failed last, until
   * it succeeds again; commits go on meanwhile, and every object stays readable where it was.
   */
  get compactionFailure(): Error | undefined {
    return this.compaction.failure;
  }

  private get branchRef(): string {
    return `refs/heads/${this.branch}`;
  }

  /** The commit the branch points at; undefined while the branch is unborn. */
  async head(): Promise<string | undefined> {
    return this.refs.resolve(this.branchRef);
  }

  private readCommit(id: string): CommitData {
    const object = this.reader.read(id);
    if (object.type !== 'commit') throw new RepositoryError(`The object ${id} is a ${object.type}, not a commit.`);
    return parseCommit(object.content);
  }

  /** Every file of a commit (default: the branch head) as path → blob id. Empty for an unborn branch. */
  async readFiles(commit?: string): Promise<Map<string, string>> {
    const id = commit === undefined ? await this.head() : await this.resolve(commit);
    if (!id) return new Map();
    return new Map(this.trees.flatten(this.readCommit(id).tree));
  }

  async readBlob(id: string): Promise<Buffer> {
    const object = this.reader.read(id);
    if (object.type !== 'blob') throw new RepositoryError(`The object ${id} is a ${object.type}, not a file.`);
    return object.content;
  }

  /** The names of the folders in the folder at `path` ('' the root) of the branch head, reading only that folder's tree and those above it. */
  async readFolderNames(path: string): Promise<string[]> {
    const head = await this.head();
    return head === undefined ? [] : this.trees.folderNames(this.readCommit(head).tree, path);
  }

  /** A file's bytes at a revision; undefined when the path is not a file there. */
  async readFile(commit: string, path: string): Promise<Buffer | undefined> {
    const entry = this.trees.lookup(this.readCommit(await this.resolve(commit)).tree, path);
    return entry && entry.mode !== TREE_MODE ? this.readBlob(entry.id) : undefined;
  }

  /** A revision as git spells it (ids, short ids, branches, tags, HEAD~N, ref@{date}) → commit id. */
  async resolve(rev: string): Promise<string> {
    return resolveRevision(rev, this.refs, this.reader);
  }

  /** The files that differ between two commits (`from` undefined: the empty tree), sorted by path: see diffCommits. */
  async changedPaths(from: string | undefined, to: string): Promise<ChangedPath[]> {
    return diffCommits(this.reader, from, to);
  }

  /** The commit `A...B` starts from: the merge base of two revisions, as `git merge-base A B`. */
  async mergeBase(a: string, b: string): Promise<string> {
    const base = mergeBase(await this.resolve(a), await this.resolve(b), this.reader);
    if (!base) throw new RepositoryError(`'${a}' and '${b}' have no common history.`);
    return base;
  }

  /** Commits reachable from `starts`, newest first by committer time; `pending` is its queue, oldest first. */
  private *walk(starts: readonly string[], pending: LogEntry[] = []): Generator<LogEntry> {
    const seen = new Set<string>();
    const push = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      const data = this.history.commit(id);
      const entry = { commit: id, ...data };
      let at = pending.length;
      while (at > 0 && pending[at - 1].committer.timestamp > entry.committer.timestamp) at--;
      pending.splice(at, 0, entry);
    };
    for (const start of starts) push(start);
    while (pending.length) {
      const entry = pending.pop()!;
      yield entry;
      for (const parent of entry.parents) push(parent);
    }
  }

  /**
   * History, newest first; with `path` (or `paths`, git's pathspecs), only commits that changed that file or folder
   * (one of them) against the first parent. `from` (commit ids) starts the walk at several commits, as `git log A B`,
   * instead of `ref`; `queued`, when given, receives the commits a walk stopped by `limit` had still to go to, oldest
   * first: `from` goes on with them as this walk would have.
   */
  async log(
    options: {
      ref?: string;
      from?: readonly string[];
      path?: string;
      paths?: readonly string[];
      limit?: number;
      queued?: string[];
    } = {},
  ): Promise<LogEntry[]> {
    let starts = options.from;
    if (!starts) {
      const start = options.ref === undefined ? await this.head() : await this.resolve(options.ref);
      starts = start ? [start] : [];
    }
    const entries: LogEntry[] = [];
    const pending: LogEntry[] = [];
    const limit = options.limit ?? Infinity;
    const paths = [...(options.path === undefined ? [] : [options.path]), ...(options.paths ?? [])].map((path) =>
      path.replace(/^\/+|\/+$/g, ''),
    );
    for (const entry of this.walk(starts, pending)) {
      if (entries.length >= limit) {
        options.queued?.push(...pending.map((queued) => queued.commit), entry.commit);
        break;
      }
      if (paths.length > 0 && !paths.some((path) => this.history.changedAt(entry.commit, path))) continue;
      entries.push(entry);
    }
    return entries;
  }

  /** The last commit (by committer time) at or before `time` on `ref` (default: the branch). */
  async commitAt(time: Date, ref?: string): Promise<string | undefined> {
    const start = ref === undefined ? await this.head() : await this.resolve(ref);
    if (!start) return undefined;
    const seconds = Math.floor(time.getTime() / 1000);
    for (const entry of this.walk([start])) if (entry.committer.timestamp <= seconds) return entry.commit;
    return undefined;
  }

  /** Writes objects (one pack, or loose files) and records in `stored` where they went. */
  private writeObjects(objects: NewObject[], stored: StoredObjects<NewObject>): void {
    const objectsDir = join(this.gitdir, 'objects');
    if (objects.length > LOOSE_OBJECT_LIMIT) {
      const idxPath = writePack(objectsDir, objects);
      this.reader.addPack(idxPath);
      stored.add(basename(idxPath), objects);
    } else {
      for (const object of objects) writeLooseObject(objectsDir, object);
      stored.add(undefined, objects);
    }
  }

  /**
   * Writes `objects` and then checks against the disk that everything in `stored` is still there: `git repack -ad`,
   * `git prune` or `git gc --prune=now` delete what no ref reaches yet, which a commit's new objects are until the ref
   * moves. What went missing is written again.
   */
  private storeObjects(objects: NewObject[], stored: StoredObjects<NewObject>): void {
    for (let attempt = 1, pending = objects; pending.length > 0; attempt++) {
      if (attempt > STORE_ATTEMPTS) {
        throw new RepositoryError(
          `${pending.length} objects of a new commit kept disappearing from ${join(this.gitdir, 'objects')} while they were written (is a git prune or repack running in a loop?); ${this.branch} was not moved.`,
        );
      }
      this.writeObjects(pending, stored);
      pending = this.reader.lost(stored);
    }
  }

  /** The work tree to keep in step, when this is a non-bare repository with our branch checked out. */
  private workTree(): WorkTree | undefined {
    if (this.bare || this.refs.headTarget() !== this.branchRef) return undefined;
    return new WorkTree(this.dir, this.gitdir);
  }

  /**
   * Commits file changes on top of the branch head. Objects are written first and the branch moves last,
   * atomically and only if nobody moved it meanwhile, so a crash at any point leaves the old, consistent state.
   * Returns undefined (and commits nothing) when the tree would not change.
   */
  async commitChanges(changes: FileChange[], options: CommitOptions): Promise<CommitResult | undefined> {
    const result = this.commitQueue.then(() =>
      this.reportingDiskFull(
        () => this.commitNow(changes, options),
        () => estimateStoredBytes(changes),
      ),
    );
    this.commitQueue = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs a write; when the disk (or quota) runs out, removes what it left (temporary-files.ts) and says so in one
   * sentence with about how much more space it needs (disk-full.ts). The branch moves last, so it has not moved.
   */
  private async reportingDiskFull<T>(write: () => Promise<T>, neededBytes: () => number): Promise<T> {
    const startedAtMs = Date.now();
    try {
      return await write();
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      removeFailedWriteFiles(this.gitdir, startedAtMs);
      throw diskFullError(error, this.dir, neededBytes());
    }
  }

  /**
   * Moves the branch to `commit`, a commit already in the object database (fetched from a remote) whose history
   * contains the branch head; the work tree, if checked out, follows. Refused when it would drop commits.
   */
  async fastForward(commit: string): Promise<void> {
    const result = this.commitQueue.then(() =>
      this.reportingDiskFull(
        () => this.fastForwardNow(commit),
        () => 0,
      ),
    );
    this.commitQueue = result.catch(() => undefined);
    return result;
  }

  private async fastForwardNow(commit: string): Promise<void> {
    const parent = await this.head();
    if (parent === commit) return;
    if (parent && !this.isAncestor(parent, commit))
      throw new RepositoryError(`Cannot fast-forward ${this.branch} to ${commit}: it does not contain ${parent}.`);
    const before = parent ? this.trees.flatten(this.readCommit(parent).tree) : new Map<string, string>();
    const after = this.trees.flatten(this.readCommit(commit).tree);
    const workTree = this.workTree();
    const workTreeChanges: WorkTreeChange[] = [];
    if (workTree) {
      for (const [path, id] of after)
        if (before.get(path) !== id)
          workTreeChanges.push({ path, id, before: before.get(path), content: await this.readBlob(id) });
      for (const [path, id] of before) if (!after.has(path)) workTreeChanges.push({ path, id: null, before: id });
      workTree.checkClean(workTreeChanges);
    }
    this.refs.update(this.branchRef, commit, parent, {
      identity: formatIdentity(completeAuthor({ name: 'kubesnap', email: 'kubesnap@localhost' }, this.clock.now())),
      message: 'fast-forward',
    });
    workTree?.apply(workTreeChanges);
  }

  /** The notes of a notes ref (`refs/notes/kubesnap-drills`): annotated commit id → text. Empty when the ref does not exist. */
  async readNotes(ref: string): Promise<Map<string, string>> {
    return this.notes().read(ref);
  }

  /** Appends `text` to `commit`'s note in a notes ref, as `git notes --ref REF append` does; `git notes show` reads it. */
  async appendNote(ref: string, commit: string, text: string, author: Author): Promise<void> {
    this.notes().append(ref, await this.resolve(commit), text, author);
  }

  /** Merges the notes commit `other` (fetched from a remote) into a notes ref, losing no note of either side (see Notes.merge). */
  async mergeNotes(ref: string, other: string, author: Author): Promise<void> {
    this.notes().merge(ref, other, author, (ancestor, commit) => this.isAncestor(ancestor, commit));
  }

  private notes(): Notes {
    return new Notes(this.reader, this.refs, this.trees, join(this.gitdir, 'objects'));
  }

  /** A commit's parents, first parent first. */
  parentsOf(commit: string): string[] {
    return this.readCommit(commit).parents;
  }

  /** Whether `ancestor` is `commit` or in its history. */
  isAncestor(ancestor: string, commit: string): boolean {
    for (const entry of this.walk([commit])) if (entry.commit === ancestor) return true;
    return false;
  }

  /** Writes again what the last commits stored and git has deleted since (see RECHECKED_COMMITS). */
  private restoreRecentObjects(): void {
    const newest = this.recentlyStored.at(-1);
    if (newest) this.storeObjects(this.reader.lost(...this.recentlyStored), newest);
  }

  private async commitNow(changes: FileChange[], options: CommitOptions): Promise<CommitResult | undefined> {
    this.restoreRecentObjects();
    const parent = await this.head();
    const parentTree = parent ? this.readCommit(parent).tree : undefined;
    const blobs = new Map<string, BlobChange | null>();
    for (const change of changes) {
      if (change.content === null) {
        blobs.set(change.path, null);
        continue;
      }
      const content = typeof change.content === 'string' ? Buffer.from(change.content) : change.content;
      blobs.set(
        change.path,
        change.blob
          ? { id: change.blob.id, content, packed: change.blob.packed }
          : { id: hashObject('blob', content), content },
      );
    }
    if (options.replaceAll && parentTree) {
      for (const path of this.trees.flatten(parentTree).keys()) if (!blobs.has(path)) blobs.set(path, null);
    }
    const update = this.trees.apply(parentTree, blobs);
    const treeUnchanged = parentTree ? update.tree === parentTree : update.changedPaths.length === 0;
    if (treeUnchanged && !options.allowEmpty) return undefined;

    const workTree = this.workTree();
    const workTreeChanges: WorkTreeChange[] = workTree
      ? update.changedPaths.map(({ path, id }) => ({
          path,
          id,
          before: parentTree ? this.trees.lookup(parentTree, path)?.id : undefined,
          content: id === null ? undefined : blobs.get(path)?.content,
        }))
      : [];
    workTree?.checkClean(workTreeChanges);

    const now = this.clock.now();
    const author = completeAuthor(options.author, now);
    const committer = completeAuthor(options.committer ?? options.author, now);
    const parents = [...(parent ? [parent] : []), ...(options.mergeParents ?? [])];
    const commitContent = encodeCommit({ tree: update.tree, parents, author, committer, message: options.message });
    const commit = hashObject('commit', commitContent);
    update.objects.push({ id: commit, type: 'commit', content: commitContent });
    this.storeObjects(update.objects, update.stored);

    const subject = options.message.split('\n')[0];
    this.refs.update(this.branchRef, commit, parent, {
      identity: formatIdentity(committer),
      message: `commit${options.mergeParents?.length ? ' (merge)' : parent ? '' : ' (initial)'}: ${subject}`,
    });
    // A git prune or repack that read the refs before the move may have deleted objects since the check above; the
    // same objects written again make the commit whole.
    this.storeObjects(this.reader.lost(update.stored), update.stored);
    if (update.objects.length <= RECHECKED_OBJECTS_LIMIT)
      this.recentlyStored = [...this.recentlyStored, update.stored].slice(-RECHECKED_COMMITS);
    workTree?.apply(workTreeChanges);
    // Packs the loose objects once there are many, and merges small packs once there are many (compaction.ts).
    this.compaction.afterCommit();
    return { commit, tree: update.tree, changed: update.changedPaths.length };
  }
}
