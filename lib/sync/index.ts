import type { KubeClient } from '../kube/index.ts';
import {
  combineReadiness,
  HealthMonitor,
  systemClock,
  type Clock,
  type Readiness,
  type ReadinessSource,
} from '../health/index.ts';
import { HistoryWriter, type ClusterIdentity } from '../history/index.ts';
import { silentLogger, type Logger } from '../log/index.ts';
import { WatchMetrics } from '../metrics/index.ts';
// The notes only, not lib/drill's index: a watch never loads the restore or the simulator.
import { drillStatistics, readDrillRecords } from '../drill/drill-record.ts';
import type { NormalizeOptions } from '../normalize/index.ts';
import type { RemoteSync } from '../remote/index.ts';
import type { SecretSealer } from '../secrets/index.ts';
import { namespaceMatcher, type SelectionOptions } from '../selection/index.ts';
import type { Author, SnapshotRepository } from '../store/index.ts';
import { splitObjectKey, Watcher, type WatchEvent } from '../watch/index.ts';
import { RepositoryPresence } from './repository-presence.ts';
import { StoreCompaction } from './store-compaction.ts';

export { RepositoryGoneError, RepositoryPresence } from './repository-presence.ts';
export { CommitsFailingError } from '../history/commit-failures.ts';

/** Whether this replica holds the leader Lease (a LeaderElector): a standby neither watches nor commits. */
export interface Leadership {
  readonly isLeader: boolean;
}

const STANDBY: ReadinessSource = {
  name: 'leader',
  check: () => ({ ready: true, detail: 'standby (another replica holds the lease)' }),
};

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
  /** Changes pending and being written at which the watch reads on only after a commit made room (default 10,000). */
  maxBacklog?: number;
  discoveryIntervalMs?: number;
  logger?: Logger;
  metrics?: WatchMetrics;
  clock?: Clock;
  /** Whether the repository is still the one opened; default one made from `repository` now. */
  presence?: RepositoryPresence;
  /** With `--leader-elect`: a standby is ready (a rolling update's new pod waits as one, and the rollout waits for it to be Ready). */
  leadership?: Leadership;
  /** The 'api' source is not ready once every request to the API server has failed for this long (default 30 s). */
  unreachableAfterMs?: number;
  /** After commits failed for this long (default 5 minutes), `done` rejects with a CommitsFailingError. */
  maxFailingMs?: number;
  /** A failed commit is tried again after this long, doubling on each failure (default 1 s)… */
  retryFirstMs?: number;
  /** …up to this (default 30 s). */
  retryMaxMs?: number;
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
  private readonly presence: RepositoryPresence;
  private readonly store: StoreCompaction;
  private readonly leadership?: Leadership;
  private readonly health: HealthMonitor;
  /** Settles `done` early: commits failed for too long. */
  private giveUp!: (error: unknown) => void;
  private readonly gaveUp = new Promise<never>((_, reject) => (this.giveUp = reject));

  constructor(options: ClusterSyncOptions) {
    this.logger = options.logger ?? silentLogger;
    const clock = options.clock ?? systemClock;
    this.metrics = options.metrics ?? new WatchMetrics(clock);
    this.remote = options.remote;
    if (this.remote) this.metrics.trackRemote(() => this.remote!.status());
    this.metrics.trackDrills(async () => drillStatistics((await readDrillRecords(options.repository)).values()));
    this.presence = options.presence ?? new RepositoryPresence(options.repository);
    this.store = new StoreCompaction(options.repository, this.logger);
    this.leadership = options.leadership;
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
      maxBacklog: options.maxBacklog,
      clock,
      maxFailingMs: options.maxFailingMs,
      retryFirstMs: options.retryFirstMs,
      retryMaxMs: options.retryMaxMs,
      logger: this.logger,
      checkRepository: () => this.presence.assertPresent(),
      onCommit: () => {
        this.metrics.committed(new Date(clock.now()), this.writer.trackedCount);
        this.remote?.requestPush();
      },
      onCommitFailure: () => this.metrics.commitFailed(),
      onGiveUp: (error) => this.giveUp(error),
      onPendingChange: (pending) => this.metrics.setPending(pending),
    });
    this.watcher = new Watcher({
      client: options.client,
      selection: options.selection,
      normalize: options.normalize,
      metrics: this.metrics,
      logger: this.logger,
      discoveryIntervalMs: options.discoveryIntervalMs,
      unreachableAfterMs: options.unreachableAfterMs,
      clock,
      onEvent: (event) => this.route(event),
      roomForMore: () => this.roomForMore(),
    });
    this.gaveUp.catch(() => undefined);
    this.health = new HealthMonitor({ sources: () => this.readinessSources(), logger: this.logger, clock });
    this.metrics.trackReadiness(() => this.readinessSources());
    this.metrics.trackLeadership(() => this.leadership?.isLeader ?? true);
  }

  /**
   * Fetches the remote, then starts watching. `stopped` ends the wait for the remote of a new, empty repository
   * (RemoteSync's waitForRemoteWhenEmpty): start() then returns false without watching, and nothing was written.
   */
  async start(stopped?: AbortSignal): Promise<boolean> {
    if (stopped?.aborted) return false;
    if (this.remote) {
      const remote = this.remote;
      const stopWaiting = () => void remote.stop().catch(() => undefined);
      stopped?.addEventListener('abort', stopWaiting, { once: true });
      try {
        // Before the writer reads the head: a fast-forward or merge of the remote is what it continues from.
        await remote.start().catch((error) =>
          this.logger.warn('the remote could not be fetched; commits stay local until it can', {
            error: String(error.message ?? error),
          }),
        );
      } finally {
        stopped?.removeEventListener('abort', stopWaiting);
      }
      if (stopped?.aborted) return false;
      remote.requestPush();
    }
    await this.writer.start();
    this.metrics.setTracked(this.writer.trackedCount);
    this.writer.hold();
    await this.watcher.start();
    this.health.start();
    void this.watcher.ready.then(
      () => this.commitFirstSync(),
      () => undefined,
    );
    return true;
  }

  /** The first full list is committed at once, whatever the batch window: it is the starting point of the history. */
  private async commitFirstSync(): Promise<void> {
    this.synced = true;
    this.writer.release();
    this.logger.info('first full sync done; watching');
    // A failure is logged and retried by the writer.
    await this.writer.flush().catch(() => undefined);
  }

  /** Resolves after the first full list of every collection. */
  get ready(): Promise<void> {
    return this.watcher.ready;
  }

  /** Rejects when watching failed for good or commits failed for longer than `maxFailingMs`; resolves after stop(). */
  get done(): Promise<void> {
    return Promise.race([this.watcher.done, this.gaveUp]);
  }

  /** Ready when every part is, else the first reason it is not (`api: …`, `commits: …`). */
  readiness(): Readiness {
    return combineReadiness(this.readinessSources());
  }

  /** The parts a running watch depends on, in the order /readyz names the first that is not ready. */
  readinessSources(): ReadinessSource[] {
    if (this.leadership && !this.leadership.isLeader) return [STANDBY];
    const sync: ReadinessSource = {
      name: 'sync',
      check: () =>
        this.synced ? { ready: true, detail: 'ok' } : { ready: false, detail: 'first full sync not finished' },
    };
    const sources = [sync, this.presence, this.watcher.contact, this.writer.failures, this.store];
    return this.remote ? [...sources, this.remote] : sources;
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
    this.health.stop();
    // A source waiting for room would keep the watcher from stopping until a commit made some.
    this.writer.stopScheduling();
    await this.watcher.stop();
    const commit = await this.writer.stop();
    await this.remote?.stop().catch((error) =>
      this.logger.error('the last commits could not be pushed; they stay in the local repository', {
        error: String(error.message ?? error),
      }),
    );
    return commit;
  }

  /** Stages the event; the watch reads its next event once the writer has room for it (backpressure). */
  private route(event: WatchEvent): Promise<void> | undefined {
    switch (event.type) {
      case 'upsert':
        this.writer.upsert(event.resource, event.object);
        break;
      case 'delete':
        this.writer.delete(event.resource, event.object);
        break;
      case 'synced':
        this.writer.deleteUnlisted(event.resource, event.namespace, event.keys.map(splitObjectKey));
        break;
      case 'resource-removed':
        this.writer.removeResource(event.resource);
        break;
    }
    return this.roomForMore();
  }

  /** Undefined while the writer has room for more; else the wait for it, counted by the backpressure metrics. */
  private roomForMore(): Promise<void> | undefined {
    const room = this.writer.roomForMore();
    return room && this.metrics.waitForRoom(room);
  }
}
