import type { CommitData } from './git-object.ts';
import type { TreeCache } from './tree-cache.ts';

/** Bytes (estimated) of what history walks learned: 10,000 commits of kubesnap's watch messages take about 30 MB. */
const KEPT_BYTES = 48 << 20;
/** About what a parsed commit holds besides its message: ids, identities, objects. */
const COMMIT_BYTES = 1_000;
const NAME_BYTES = 64;

interface CommitMemo {
  data: CommitData;
  /** Per folder ('' the root), the names whose entry differs from the first parent's. */
  changedNames: Map<string, string[]>;
  bytes: number;
  /** When it was last put at the back of the map, counted in puts. */
  put: number;
}

/**
 * What history walks learn about each commit, kept by commit id (a commit never changes; refs are read again by each
 * walk): the parsed commit, and per folder which names changed against the first parent. A walk filtered by path
 * opens trees only where every folder above the path changed, and walking the same commits again reads nothing.
 * Bounded by an estimate of its bytes; the commits used longest ago go first.
 */
export class HistoryMemo {
  private readonly commits = new Map<string, CommitMemo>();
  private bytes = 0;
  private puts = 0;

  constructor(
    private readonly readCommit: (id: string) => CommitData,
    private readonly trees: TreeCache,
  ) {}

  commit(id: string): CommitData {
    return this.memo(id).data;
  }

  /** Whether the entry at `path` ('' the root tree) differs between a commit and its first parent, as `git log -- path` asks. */
  changedAt(id: string, path: string): boolean {
    const segments = path.split('/').filter(Boolean);
    if (segments.length === 0) {
      const { tree, parents } = this.commit(id);
      return parents.length === 0 || this.commit(parents[0]).tree !== tree;
    }
    for (let depth = 0; depth < segments.length; depth++)
      if (!this.changedNames(id, segments.slice(0, depth).join('/')).includes(segments[depth])) return false;
    return true;
  }

  private changedNames(id: string, folder: string): string[] {
    const memo = this.memo(id);
    const known = memo.changedNames.get(folder);
    if (known) return known;
    const parent = memo.data.parents[0];
    const names = this.trees.changedNames(memo.data.tree, parent && this.commit(parent).tree, folder);
    if (this.commits.get(id) !== memo) return names;
    memo.changedNames.set(folder, names);
    const bytes = NAME_BYTES * (names.length + 1) + folder.length;
    memo.bytes += bytes;
    this.bytes += bytes;
    this.evict();
    return names;
  }

  private memo(id: string): CommitMemo {
    let memo = this.commits.get(id);
    // Used again: back to the end of the line, unless it is in the newer half already (a walk touches every commit
    // twice, and moving each costs more than the rest of the walk).
    if (memo && this.puts - memo.put <= this.commits.size / 2) return memo;
    if (memo) {
      this.commits.delete(id);
    } else {
      const data = this.readCommit(id);
      memo = { data, changedNames: new Map(), bytes: COMMIT_BYTES + data.message.length, put: 0 };
      this.bytes += memo.bytes;
    }
    memo.put = ++this.puts;
    this.commits.set(id, memo);
    this.evict();
    return memo;
  }

  private evict(): void {
    for (const [oldest, memo] of this.commits) {
      if (this.bytes <= KEPT_BYTES || this.commits.size === 1) break;
      this.commits.delete(oldest);
      this.bytes -= memo.bytes;
    }
  }
}
