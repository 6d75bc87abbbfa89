import type { KubeClient } from '../kube/index.ts';
import { HistoryWriter, type ClusterIdentity } from '../history/index.ts';
import { silentLogger, type Logger } from '../log/index.ts';
import { WatchMetrics } from '../metrics/index.ts';
import type { NormalizeOptions } from '../normalize/index.ts';
import type { RemoteSync } from '../remote/index.ts';
import type { SecretSealer } from '../secrets/index.ts';
import { namespaceMatcher, type SelectionOptions } from '../selection/index.ts';
import type { Author, SnapshotRepository } from '../store/index.ts';
import { Watcher, type WatchEvent } from '../watch/index.ts';

export interface ClusterSyncOptions {
  client: KubeClient;
  repository: SnapshotRepository;
  author: Author;
  cluster: ClusterIdentity;
  selection?: SelectionOptions;
  normalize?: NormalizeOptions;
  /** Encrypts Secret values in the commits. */
  sealer?: SecretSealer;
  prefix?: string;
  /** Pushes the commits to a Git remote, which is fetched (and continued on top of) on start. */
  remote?: RemoteSync;
  batchMs?: number;
  batchMax?: number;
  discoveryIntervalMs?: number;
  logger?: Logger;
  metrics?: WatchMetrics;
  now?: () => Date;
}

/**
 * `kubesnap watch`: keeps a repository in step with a cluster. A Watcher turns the API server's
 * list/watch streams into object events; a HistoryWriter turns them into commits. On start the first
 * full list of every collection is reconciled against the last commit, so a restart never duplicates
 * history and a change made while kubesnap was stopped lands in the first commit.
 */
export class ClusterSync {
  readonly metrics: WatchMetrics;
  private readonly writer: HistoryWriter;
  private readonly watcher: Watcher;
  private readonly logger: Logger;
  private synced = false;
  private readonly remote?: RemoteSync;

  constructor(options: ClusterSyncOptions) {
    this.logger = options.logger ?? silentLogger;
    this.metrics = options.metrics ?? new WatchMetrics();
    this.remote = options.remote;
    if (this.remote) this.metrics.trackRemote(() => this.remote!.status());
    this.writer = new HistoryWriter({
      repository: options.repository,
      author: options.author,
      cluster: options.cluster,
      normalize: options.normalize,
      sealer: options.sealer,
      prefix: options.prefix,
      namespaceSelected: namespaceMatcher(options.selection ?? {}),
      batchMs: options.batchMs,
      batchMax: options.batchMax,
      now: options.now,
      logger: this.logger,
      onCommit: () => {
        this.metrics.committed((options.now ?? (() => new Date()))(), this.writer.trackedCount);
        this.remote?.requestPush();
      },
      onPendingChange: (pending) => this.metrics.setPending(pending),
    });
    this.watcher = new Watcher({
      client: options.client,
      selection: options.selection,
      normalize: options.normalize,
      metrics: this.metrics,
      logger: this.logger,
      discoveryIntervalMs: options.discoveryIntervalMs,
      onEvent: (event) => this.route(event),
    });
  }

  async start(): Promise<void> {
    if (this.remote) {
      // Before the writer reads the head: a fast-forward or merge of the remote is what it continues from.
      await this.remote.start().catch((error) => this.logger.warn('the remote could not be fetched; commits stay local until it can', { error: String(error.message ?? error) }));
      this.remote.requestPush();
    }
    await this.writer.start();
    this.metrics.setTracked(this.writer.trackedCount);
    this.writer.hold();
    await this.watcher.start();
    void this.watcher.ready.then(() => this.commitFirstSync(), () => undefined);
  }

  /** The first full list is committed at once, whatever the batch window: it is the starting point of the history. */
  private async commitFirstSync(): Promise<void> {
    this.synced = true;
    this.writer.release();
    this.logger.info('first full sync done; watching');
    await this.writer.flush().catch((error) => this.logger.error('the first full sync could not be committed; it stays pending', { error: String(error) }));
  }

  /** Resolves after the first full list of every collection. */
  get ready(): Promise<void> {
    return this.watcher.ready;
  }

  /** Rejects when watching failed for good; resolves after stop(). */
  get done(): Promise<void> {
    return this.watcher.done;
  }

  readiness(): { ready: boolean; detail: string } {
    const remote = this.remote ? `; ${this.remote.describe()}` : '';
    return this.synced ? { ready: true, detail: `ok${remote}` } : { ready: false, detail: `first full sync not finished${remote}` };
  }

  get pendingCount(): number {
    return this.writer.pendingCount;
  }

  /** Commits what is pending now. */
  flush(): Promise<string | undefined> {
    return this.writer.flush();
  }

  /** Stops watching, then commits the pending batch. */
  async stop(): Promise<string | undefined> {
    await this.watcher.stop();
    const commit = await this.writer.stop();
    await this.remote?.stop().catch((error) => this.logger.error('the last commits could not be pushed; they stay in the local repository', { error: String(error.message ?? error) }));
    return commit;
  }

  private route(event: WatchEvent): void {
    switch (event.type) {
      case 'upsert':
        return this.writer.upsert(event.resource, event.object);
      case 'delete':
        return this.writer.delete(event.resource, event.object);
      case 'synced':
        return this.writer.replaceCollection(event.resource, event.namespace, event.objects);
      case 'resource-removed':
        return this.writer.removeResource(event.resource);
    }
  }
}
