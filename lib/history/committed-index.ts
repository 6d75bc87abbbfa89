import { hashObject, type SnapshotRepository } from '../store/index.ts';
import { countObject, folderCounts, README_PATH, type FolderContent } from './repository-readme.ts';
import type { ObjectChange } from './watch-message.ts';

export interface CommittedIndexOptions {
  prefix?: string;
  /** The README of a tree whose folders hold these objects. */
  readme: (folders: Iterable<FolderContent>) => string;
}

/** The README once a commit is written: the commit writes `text` only when it differs from `before`. */
export interface ReadmeUpdate {
  before?: string;
  text: string;
  changed: boolean;
  /** What each folder holds once the commit is written. */
  counts: Map<string, FolderContent>;
}

/**
 * The committed tree as a `HistoryWriter` knows it: each file's blob id, what each folder holds and the README's
 * text, kept up to date commit by commit instead of read back. A batch counts as committed while it is written.
 */
export class CommittedIndex {
  readonly readmePath: string;
  private ids = new Map<string, string>();
  /** What each folder holds, for the README and the tracked-object count. */
  private counts = new Map<string, FolderContent>();
  private readme?: string;

  constructor(private readonly options: CommittedIndexOptions) {
    this.readmePath = options.prefix ? `${options.prefix}/${README_PATH}` : README_PATH;
  }

  /** Reads the tree of the branch's head (no head: an empty tree). */
  async load(repository: Pick<SnapshotRepository, 'head' | 'readFiles' | 'readBlob'>): Promise<void> {
    const head = await repository.head();
    this.ids = head ? new Map(await repository.readFiles(head)) : new Map();
    this.counts = folderCounts(this.ids.keys(), this.options.prefix);
    const readmeId = this.ids.get(this.readmePath);
    this.readme = readmeId ? (await repository.readBlob(readmeId)).toString('utf8') : undefined;
  }

  /** Path → blob id. */
  get files(): ReadonlyMap<string, string> {
    return this.ids;
  }

  /** Number of object files (README excluded). */
  get trackedCount(): number {
    let count = 0;
    for (const folder of this.counts.values()) count += folder.objects;
    return count;
  }

  /** Counts a batch being written as committed (no id: deleted); returns each path's id before it, for `restore`. */
  committing(batch: ReadonlyMap<string, { id?: string }>): Map<string, string | undefined> {
    const previous = new Map<string, string | undefined>();
    for (const [path, { id }] of batch) {
      previous.set(path, this.ids.get(path));
      this.set(path, id);
    }
    return previous;
  }

  /** The batch's write failed: its paths are back at their ids before it. */
  restore(previous: ReadonlyMap<string, string | undefined>): void {
    for (const [path, id] of previous) this.set(path, id);
  }

  readmeAfter(changes: ReadonlyArray<Pick<ObjectChange, 'path' | 'type'>>): ReadmeUpdate {
    const counts = new Map(this.counts);
    for (const change of changes) {
      if (change.type === 'created') countObject(counts, change.path, 1, this.options.prefix);
      if (change.type === 'deleted') countObject(counts, change.path, -1, this.options.prefix);
    }
    const text = this.options.readme(counts.values());
    return { before: this.readme, text, changed: text !== this.readme, counts };
  }

  /** The commit that `readme` was made for is written. */
  written(readme: ReadmeUpdate): void {
    this.counts = readme.counts;
    if (!readme.changed) return;
    this.readme = readme.text;
    this.ids.set(this.readmePath, hashObject('blob', Buffer.from(readme.text)));
  }

  private set(path: string, id: string | undefined): void {
    if (id === undefined) this.ids.delete(path);
    else this.ids.set(path, id);
  }
}
