import { changedPaths } from '../store/index.ts';
import type { LogEntry } from '../store/index.ts';
import type { ReadOnlyRepository } from './repository.ts';

/** What one commit changed, counted by the repository's folders: namespace (`_cluster` for cluster-scoped) and kind. */
export interface CommitChanges {
  total: number;
  byNamespace: Map<string, number>;
  byKind: Map<string, number>;
}

const CACHED_COMMITS = 20_000;
/** A change as snapshot and watch messages list it: `  updated   shop/configmaps/web.yaml`, `created shop/configmaps/web  by …`. */
const CHANGE_LINE = /^[ \t]*(?:created|updated|deleted)[ \t]+(\S+)/gm;

/**
 * Counts of a commit's changes against its first parent, kept per commit id (a commit never changes). Read from the
 * change lines kubesnap's messages list, which costs nothing more than the log already read; a commit without them
 * (written by someone else) is compared with its parent tree by tree.
 */
export class CommitChangeCounter {
  private readonly cache = new Map<string, CommitChanges>();

  constructor(
    private readonly repository: ReadOnlyRepository,
    private readonly prefix = '',
  ) {}

  async of(entry: Pick<LogEntry, 'commit' | 'parents' | 'message'>): Promise<CommitChanges> {
    const cached = this.cache.get(entry.commit);
    if (cached) return cached;
    const changes: CommitChanges = { total: 0, byNamespace: new Map(), byKind: new Map() };
    const skip = this.prefix ? this.prefix.split('/').filter(Boolean).length : 0;
    const listed = [...entry.message.matchAll(CHANGE_LINE)].map((match) => match[1]);
    const paths = listed.length
      ? listed
      : (await changedPaths(this.repository, entry.parents[0], entry.commit)).map((change) => change.path);
    for (const path of paths) {
      const segments = path.split('/').slice(skip);
      if (segments.length < 3) continue;
      changes.total++;
      increment(changes.byNamespace, segments[0]);
      increment(changes.byKind, segments[1]);
    }
    if (this.cache.size >= CACHED_COMMITS) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(entry.commit, changes);
    return changes;
  }
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
