import { WorkerCalls } from '../runtime/index.ts';
import type { ObjectReader } from './object-reader.ts';
import { installMergedPack, packLooseObjects, packsToConsolidate, writeMergedPack } from './pack-consolidation.ts';

/**
 * Merges of fewer objects than this run on the committing thread: copying costs ~2.5 µs an object, so such a merge
 * takes less than starting a thread does.
 */
const THREAD_FROM_OBJECTS = 20_000;

export interface PackMergeRequest {
  objectsDir: string;
  /** The index file names of the packs to merge. */
  packNames: string[];
}

/**
 * Keeps a repository's objects compact after each commit (pack-consolidation.ts): loose objects into a pack, and
 * the smallest packs merged once there are many. A big merge, which copies up to every object of the repository
 * once each time the biggest pack doubles (1.4 s for 550,000 objects in a minute of watching), runs on a thread of
 * its own (pack-merge.worker.ts) so that a watch reads and commits on meanwhile. One merge at a time: while it
 * runs, commits add packs, which it looks at again when it ends.
 */
export class Compaction {
  private readonly thread = new WorkerCalls<PackMergeRequest, string>(
    new URL('./pack-merge.worker.ts', import.meta.url),
    1,
  );
  private running: Promise<void> | undefined;
  /**
   * Why the last packing or merge failed, until one succeeds. A failure leaves every object valid where it was, and
   * must not turn a commit that is made into an error (its caller would write the batch again): the next commit
   * tries again.
   */
  failure: Error | undefined;

  constructor(private readonly reader: ObjectReader) {}

  afterCommit(): void {
    try {
      packLooseObjects(this.reader);
      this.mergePacks();
      if (!this.running) this.failure = undefined;
    } catch (error) {
      this.failure = error as Error;
    }
  }

  /** Waits until no merge runs on the thread (one that ends may start the next); then stops the thread. */
  async close(): Promise<void> {
    while (this.running) await this.running;
    await this.thread.close();
  }

  private mergePacks(): void {
    if (this.running) return;
    const packs = packsToConsolidate(this.reader);
    const packNames = packs.map((pack) => pack.name);
    if (packs.length === 0) return;
    if (packs.reduce((sum, pack) => sum + pack.index.count, 0) < THREAD_FROM_OBJECTS) {
      installMergedPack(this.reader, packNames, writeMergedPack(this.reader, packs));
      return;
    }
    this.running = this.thread
      .call({ objectsDir: this.reader.objectsDir, packNames })
      .then((idxPath) => {
        installMergedPack(this.reader, packNames, idxPath);
        this.running = undefined;
        this.failure = undefined;
        // The commits made meanwhile added packs: merge them now, not at the next commit, which may never come.
        this.mergePacks();
        this.stopIdleThread();
      })
      // Every object is still where it was (at worst also in the new pack); the next merge takes in both.
      .catch((error: Error) => {
        this.running = undefined;
        this.failure = error;
        this.stopIdleThread();
      });
  }

  /**
   * A merge's thread holds ~100 bytes an object merged (the packs' indexes and the merged one), and its heap and
   * malloc keep that after the merge: a watch's memory then grew with its history (figure 7). Merges come minutes
   * or hours apart and a thread starts in ~50 ms, so the thread is stopped once no merge runs, giving it all back.
   */
  private stopIdleThread(): void {
    if (!this.running) void this.thread.close();
  }
}
