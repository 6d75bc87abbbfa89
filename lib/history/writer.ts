import type { ApiResource } from '../kube/index.ts';
import { serializeObject } from '../layout/index.ts';
import { silentLogger, type Logger } from '../log/index.ts';
import { normalizeObject, type KubeObject, type NormalizeOptions } from '../normalize/index.ts';
import { withRepositoryDigestKey } from '../secrets/digest-key.ts';
import type { SecretSealer } from '../secrets/index.ts';
import { hashObject, type Author, type SnapshotRepository } from '../store/index.ts';
import { systemClock, type Clock } from '../health/index.ts';
import { lastWriter } from './attribution.ts';
import { BacklogGate } from './backlog-gate.ts';
import { BatchCommitter, type StagedChange } from './batch-committer.ts';
import { CommitFailures, type CommitFailuresOptions, type CommitsFailingError } from './commit-failures.ts';
import type { ClusterIdentity } from './commit-message.ts';
import { CommitSchedule } from './commit-schedule.ts';
import { CommittedIndex } from './committed-index.ts';
import { ObjectPaths } from './object-paths.ts';
import { isSecretsResource, SecretStaging } from './secret-staging.ts';
import { repositoryReadme } from './repository-readme.ts';
import type { ObjectChange } from './watch-message.ts';

/** A failed commit is retried on a timer (`retryFirstMs` doubling up to `retryMaxMs`) for up to `maxFailingMs`. */
export interface HistoryWriterOptions extends CommitFailuresOptions {
  repository: SnapshotRepository;
  author: Author;
  /** Named in the repository's README, which a commit rewrites when what it says changed. */
  cluster: ClusterIdentity;
  normalize?: NormalizeOptions;
  /** Encrypts Secret values before they are staged (and `normalize.secrets` becomes 'encrypt'). */
  sealer?: SecretSealer;
  prefix?: string;
  /** Namespaces outside the selection are neither written nor deleted (`-n`, `--exclude-namespace`). */
  namespaceSelected?: (namespace: string | undefined) => boolean;
  /** Commit when this long has passed since the first pending change. */
  batchMs?: number;
  /** …or as soon as this many changes are pending. */
  batchMax?: number;
  /**
   * Changes pending and being written together at which `roomForMore()` makes the event source wait for a commit
   * to end (default 10,000): a cluster that writes faster than commits are made must not grow memory without end.
   */
  maxBacklog?: number;
  /** Commit times and the batch and retry timers. */
  clock?: Clock;
  logger?: Logger;
  /** Throws when the repository may not be written any more (deleted or replaced): the commit fails. */
  checkRepository?: () => void;
  onCommit?: (commit: { id: string; changes: ObjectChange[] }) => void;
  onCommitFailure?: (error: unknown) => void;
  /** Commits kept failing for `maxFailingMs`: no more retries. */
  onGiveUp?: (error: CommitsFailingError) => void;
  onPendingChange?: (pending: number) => void;
}

/**
 * Turns a stream of object events into commits. It keeps the committed tree's blob ids, so only
 * content changes after normalisation count: a resourceVersion bump or a status update hashes to the
 * committed blob and is dropped, and an object changed and changed back within one batch leaves
 * nothing pending. Commits happen `batchMs` after the first pending change or at `batchMax` changes
 * (`CommitSchedule`), and a full backlog makes the event source wait (`BacklogGate`). The committed tree is kept by
 * `CommittedIndex`, a batch written by `BatchCommitter`, and Secrets are staged encrypted by `SecretStaging`.
 */
export class HistoryWriter {
  /** The failed commits since the last one that succeeded: the 'commits' readiness source. */
  readonly failures: CommitFailures;
  private readonly options: Required<Pick<HistoryWriterOptions, 'clock' | 'logger'>> & HistoryWriterOptions;
  private readonly schedule: CommitSchedule;
  /** Only with a sealer. */
  private readonly secrets?: SecretStaging;
  private readonly paths: ObjectPaths;
  private readonly committed: CommittedIndex;
  private readonly committer: BatchCommitter;
  private readonly backlogGate: BacklogGate;
  private pending = new Map<string, StagedChange>();
  private gaveUp = false;
  private flushing: Promise<unknown> = Promise.resolve();
  /** A background flush is queued and has not started: events arriving meanwhile need no other (it takes them all). */
  private backgroundFlushQueued = false;
  /** Changes of the commit being written: still in memory until it ends. */
  private writing = 0;

  constructor(options: HistoryWriterOptions) {
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? silentLogger;
    this.options = {
      ...options,
      clock,
      logger,
      normalize: options.sealer ? { ...options.normalize, secrets: 'encrypt' } : options.normalize,
    };
    this.failures = new CommitFailures({ ...options, clock });
    this.schedule = new CommitSchedule({
      batchMs: options.batchMs ?? 5000,
      batchMax: options.batchMax ?? 1000,
      clock,
      failing: () => this.failures.isFailing,
      commit: () => this.flushInBackground(),
    });
    this.committed = new CommittedIndex({
      prefix: options.prefix,
      readme: (folders) => repositoryReadme({ cluster: options.cluster, folders, normalize: this.options.normalize }),
    });
    this.committer = new BatchCommitter({ ...this.options, committed: this.committed });
    this.paths = new ObjectPaths(options);
    this.backlogGate = new BacklogGate({
      max: options.maxBacklog ?? 10_000,
      backlog: () => this.pending.size + this.writing,
      idle: () => this.schedule.idle,
    });
    if (options.sealer) {
      this.secrets = new SecretStaging({
        sealer: options.sealer,
        prefix: options.prefix,
        logger,
        stage: (path, content, extra) => this.stage(path, content, extra),
      });
    }
  }

  /** Loads the last commit's tree: everything after is compared with it. */
  async start(): Promise<void> {
    this.options.normalize = await withRepositoryDigestKey(
      this.options.normalize ?? {},
      this.options.repository.gitdir,
      { create: true },
    );
    await this.committed.load(this.options.repository);
    await this.secrets?.load(this.committed.files, this.options.repository);
  }

  /** Commit nothing until release(): the first full sync of a watch becomes one commit, not several partial ones. */
  hold(): void {
    this.schedule.hold();
  }

  release(): void {
    this.schedule.release(this.pending.size);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Undefined while there is room for more changes; else a promise that settles once a commit has made room (or the
   * writer stops). The watch awaits it before reading its next event, so the events wait in the API server's
   * stream instead of here. Never while held: a first full sync is one commit, whatever its size.
   */
  roomForMore(): Promise<void> | undefined {
    return this.backlogGate.roomForMore();
  }

  /** Number of object files in the committed tree (README excluded). */
  get trackedCount(): number {
    return this.committed.trackedCount;
  }

  upsert(resource: ApiResource, raw: KubeObject): void {
    if (!this.paths.selected(resource, raw)) return;
    const path = this.paths.of(resource, raw);
    const result = normalizeObject(raw, resource, this.options.normalize);
    if (result.action === 'skip') {
      // An object that became skipped (now owned by a controller, say) leaves the history.
      this.stage(path, null);
      return;
    }
    if (this.secrets && isSecretsResource(resource)) {
      this.secrets.stage(path, result.object, lastWriter(raw));
      return;
    }
    this.stage(path, Buffer.from(serializeObject(result.object)), {
      attribution: lastWriter(raw),
      object: this.keptForFields(path, result.object),
    });
  }

  /**
   * The object to keep with a pending change for its field summary: only an update has one. A first sync stages
   * every object of the cluster as created, and keeping them parsed until the commit would hold the cluster twice.
   */
  private keptForFields(path: string, object: object): object | undefined {
    return this.committed.files.has(path) ? object : undefined;
  }

  delete(resource: ApiResource, raw: KubeObject): void {
    if (!this.paths.selected(resource, raw)) return;
    this.stage(this.paths.of(resource, raw), null);
  }

  /** The end of a list of one collection (its objects came before as upserts): what is there and not listed is gone. */
  deleteUnlisted(
    resource: ApiResource,
    namespace: string | undefined,
    listed: Iterable<{ namespace?: string; name: string }>,
  ): void {
    const paths = new Set<string>();
    for (const metadata of listed) paths.add(this.paths.of(resource, { metadata }));
    for (const path of this.pathsOf(resource, namespace)) {
      if (!paths.has(path)) this.stage(path, null);
    }
  }

  /** A kind the API server no longer serves: its files are deleted, and the commit says why. */
  removeResource(resource: ApiResource): void {
    for (const path of this.pathsOf(resource, undefined)) {
      this.stage(path, null, {
        reason: `${resource.group ? `${resource.resource}.${resource.group}` : resource.resource} is no longer served by the API server`,
      });
    }
  }

  /** Commits whatever is pending now (waiting for a commit already under way). */
  flush(): Promise<string | undefined> {
    const run = this.flushing.then(() => this.secrets?.settled()).then(() => this.commitPending());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  /** No commit on the timer from now on, and no event source held back: what is pending waits for stop(). */
  stopScheduling(): void {
    this.schedule.stop();
    this.backlogGate.wake();
  }

  /** Commits what is pending and stops the batch timer. */
  async stop(): Promise<string | undefined> {
    this.stopScheduling();
    try {
      return await this.flush();
    } finally {
      await this.committer.close();
    }
  }

  private stage(path: string, content: Buffer | null, extra: Omit<StagedChange, 'content' | 'id'> = {}): void {
    this.secrets?.supersede(path);
    const id = content === null ? undefined : hashObject('blob', content);
    if (id === this.committed.files.get(path)) this.pending.delete(path);
    else this.pending.set(path, { content, id, ...extra });
    this.options.onPendingChange?.(this.pending.size);
    this.schedule.pendingChanged(this.pending.size);
  }

  /** A failure is logged and retried by commitPending; nobody awaits this one. */
  private flushInBackground(): void {
    if (this.backgroundFlushQueued) return;
    this.backgroundFlushQueued = true;
    void this.flush().catch(() => undefined);
  }

  private commitSucceeded(): void {
    if (!this.failures.isFailing) return;
    this.failures.succeeded();
    this.options.logger.info('committing works again');
    // Changes that arrived while commits failed waited for the retry timer; now they wait for a batch again.
    this.schedule.pendingChanged(this.pending.size);
  }

  /** Logs the failure and retries on a timer with backoff, until commits have failed for too long. */
  private commitFailed(error: unknown): void {
    this.options.onCommitFailure?.(error);
    const next = this.failures.failed(error);
    if ('giveUp' in next) {
      this.options.logger.error('commits keep failing; giving up', {
        changes: this.pending.size,
        error: next.giveUp.message,
      });
      if (!this.gaveUp) this.options.onGiveUp?.(next.giveUp);
      this.gaveUp = true;
      return;
    }
    this.options.logger.error('commit failed; changes stay pending', {
      changes: this.pending.size,
      retryInMs: next.retryInMs,
      error: error instanceof Error ? error.message : String(error),
    });
    this.schedule.retryAfter(next.retryInMs);
  }

  private async commitPending(): Promise<string | undefined> {
    this.schedule.committing();
    this.backgroundFlushQueued = false;
    if (this.pending.size === 0) {
      // Changes undone while commits failed: nothing is missing from the history any more.
      this.commitSucceeded();
      return undefined;
    }
    const batch = this.pending;
    this.pending = new Map();
    this.options.onPendingChange?.(0);
    // The batch counts as committed from now on, so events arriving while it is written compare with it
    // (a relist meanwhile re-stages nothing); a failed write puts everything back.
    const previous = this.committed.committing(batch);
    const undoSecrets = this.secrets?.committing(batch);
    this.writing = batch.size;
    try {
      const commit = await this.committer.write(batch, previous);
      this.commitSucceeded();
      return commit;
    } catch (error) {
      undoSecrets?.();
      this.committed.restore(previous);
      for (const [path, change] of batch) if (!this.pending.has(path)) this.pending.set(path, change);
      this.options.onPendingChange?.(this.pending.size);
      this.commitFailed(error);
      throw error;
    } finally {
      this.writing = 0;
      this.backlogGate.wake();
    }
  }

  /** The files of `resource` in `namespace` (undefined: in any), committed or pending. */
  private pathsOf(resource: ApiResource, namespace: string | undefined): Iterable<string> {
    return this.paths.ofResource(
      resource,
      namespace,
      new Set([...this.committed.files.keys(), ...this.pending.keys()]),
    );
  }
}
