import { fieldChanges, formatFieldValue } from '../json/field-changes.ts';
import type { ApiResource } from '../kube/index.ts';
import { objectPath, parseObject, parseObjectPath, serializeObject } from '../layout/index.ts';
import { silentLogger, type Logger } from '../log/index.ts';
import { normalizeObject, type KubeObject, type NormalizeOptions } from '../normalize/index.ts';
import { isNamespacesResource } from '../selection/index.ts';
import { withRepositoryDigestKey } from '../secrets/digest-key.ts';
import type { SecretSealer } from '../secrets/index.ts';
import { hashObject, type Author, type SnapshotRepository } from '../store/index.ts';
import { systemClock, type Clock } from '../health/index.ts';
import { lastWriter, type Attribution } from './attribution.ts';
import { CommitFailures, type CommitFailuresOptions, type CommitsFailingError } from './commit-failures.ts';
import type { ClusterIdentity } from './commit-message.ts';
import { CommitSchedule } from './commit-schedule.ts';
import { DeflateAhead } from './deflate-ahead.ts';
import { isSecretsResource, SecretStaging } from './secret-staging.ts';
import { countObject, folderCounts, repositoryReadme, README_PATH, type FolderContent } from './repository-readme.ts';
import { watchCommitMessage, type ObjectChange } from './watch-message.ts';
import { labelDigestKeyChange } from './digest-key-change.ts';

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

interface PendingChange {
  content: Buffer | null;
  /** The blob id of `content`. */
  id?: string;
  /** The object `content` was serialised from, so the commit message's field changes need not parse it back. */
  object?: object;
  attribution?: Attribution;
  /** Why a deletion happened when it was not a DELETED event (a kind removed from the API). */
  reason?: string;
}

/**
 * Turns a stream of object events into commits. It keeps the committed tree's blob ids, so only
 * content changes after normalisation count: a resourceVersion bump or a status update hashes to the
 * committed blob and is dropped, and an object changed and changed back within one batch leaves
 * nothing pending. Commits happen `batchMs` after the first pending change or at `batchMax` changes
 * (`CommitSchedule`); Secrets are staged encrypted by `SecretStaging`, big batches deflated by `DeflateAhead`.
 */
export class HistoryWriter {
  /** The failed commits since the last one that succeeded: the 'commits' readiness source. */
  readonly failures: CommitFailures;
  private readonly options: Required<Pick<HistoryWriterOptions, 'clock' | 'logger'>> & HistoryWriterOptions;
  private readonly schedule: CommitSchedule;
  /** Only with a sealer. */
  private readonly secrets?: SecretStaging;
  private readonly deflater = new DeflateAhead();
  private committed = new Map<string, string>();
  /** What each folder of the committed tree holds, kept up to date commit by commit for the README. */
  private counts = new Map<string, FolderContent>();
  private committedReadme?: string;
  /** The objects of the latest commits (bounded), so the next change of a busy object is compared without reading its blob. */
  private recentObjects = new Map<string, { id: string; object: object }>();
  private pending = new Map<string, PendingChange>();
  private gaveUp = false;
  private flushing: Promise<unknown> = Promise.resolve();
  /** A background flush is queued and has not started: events arriving meanwhile need no other (it takes them all). */
  private backgroundFlushQueued = false;
  /** Changes of the commit being written: still in memory until it ends. */
  private writing = 0;
  private readonly maxBacklog: number;
  /** Event sources waiting in roomForMore(). */
  private roomWaiters: Array<() => void> = [];

  constructor(options: HistoryWriterOptions) {
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? silentLogger;
    this.options = {
      ...options,
      clock,
      logger,
      normalize: options.sealer ? { ...options.normalize, secrets: 'encrypt' } : options.normalize,
    };
    this.maxBacklog = options.maxBacklog ?? 10_000;
    this.failures = new CommitFailures({ ...options, clock });
    this.schedule = new CommitSchedule({
      batchMs: options.batchMs ?? 5000,
      batchMax: options.batchMax ?? 1000,
      clock,
      failing: () => this.failures.isFailing,
      commit: () => this.flushInBackground(),
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
    const head = await this.options.repository.head();
    this.committed = head ? new Map(await this.options.repository.readFiles(head)) : new Map();
    this.counts = folderCounts(this.committed.keys(), this.options.prefix);
    const readmeId = this.committed.get(this.readmePath);
    this.committedReadme = readmeId ? (await this.options.repository.readBlob(readmeId)).toString('utf8') : undefined;
    await this.secrets?.load(this.committed, this.options.repository);
  }

  private get readmePath(): string {
    return this.options.prefix ? `${this.options.prefix}/${README_PATH}` : README_PATH;
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
    if (this.schedule.idle || this.backlog < this.maxBacklog) return undefined;
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private get backlog(): number {
    return this.pending.size + this.writing;
  }

  private wakeIfRoom(): void {
    if (this.backlog >= this.maxBacklog && !this.schedule.idle) return;
    for (const resolve of this.roomWaiters.splice(0)) resolve();
  }

  /** Number of object files in the committed tree (README excluded). */
  get trackedCount(): number {
    let count = 0;
    for (const folder of this.counts.values()) count += folder.objects;
    return count;
  }

  upsert(resource: ApiResource, raw: KubeObject): void {
    if (!this.selected(resource, raw)) return;
    const path = this.pathOf(resource, raw);
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
    return this.committed.has(path) ? object : undefined;
  }

  delete(resource: ApiResource, raw: KubeObject): void {
    if (!this.selected(resource, raw)) return;
    this.stage(this.pathOf(resource, raw), null);
  }

  /** The end of a list of one collection (its objects came before as upserts): what is there and not listed is gone. */
  deleteUnlisted(
    resource: ApiResource,
    namespace: string | undefined,
    listed: Iterable<{ namespace?: string; name: string }>,
  ): void {
    const paths = new Set<string>();
    for (const metadata of listed) paths.add(this.pathOf(resource, { metadata }));
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
    this.wakeIfRoom();
  }

  /** Commits what is pending and stops the batch timer. */
  async stop(): Promise<string | undefined> {
    this.stopScheduling();
    try {
      return await this.flush();
    } finally {
      await this.deflater.close();
    }
  }

  private stage(path: string, content: Buffer | null, extra: Omit<PendingChange, 'content' | 'id'> = {}): void {
    this.secrets?.supersede(path);
    const id = content === null ? undefined : hashObject('blob', content);
    if (id === this.committed.get(path)) this.pending.delete(path);
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
    const previous = new Map<string, string | undefined>();
    for (const [path, change] of batch) {
      previous.set(path, this.committed.get(path));
      if (change.id === undefined) this.committed.delete(path);
      else this.committed.set(path, change.id);
    }
    const undoSecrets = this.secrets?.committing(batch);
    this.writing = batch.size;
    try {
      const commit = await this.writeBatch(batch, previous);
      this.commitSucceeded();
      return commit;
    } catch (error) {
      undoSecrets?.();
      for (const [path, id] of previous) {
        if (id === undefined) this.committed.delete(path);
        else this.committed.set(path, id);
      }
      for (const [path, change] of batch) if (!this.pending.has(path)) this.pending.set(path, change);
      this.options.onPendingChange?.(this.pending.size);
      this.commitFailed(error);
      throw error;
    } finally {
      this.writing = 0;
      this.wakeIfRoom();
    }
  }

  private async writeBatch(
    batch: Map<string, PendingChange>,
    previous: Map<string, string | undefined>,
  ): Promise<string | undefined> {
    this.options.checkRepository?.();
    const changes: ObjectChange[] = [];
    for (const [path, change] of batch) {
      const previousId = previous.get(path);
      changes.push({
        path,
        type: change.content === null ? 'deleted' : previousId ? 'updated' : 'created',
        namespace: parseObjectPath(path, this.options.prefix)?.namespace,
        attribution: change.attribution,
        reason: change.reason,
        fields: previousId && change.content ? await this.fieldSummary(path, previousId, change) : undefined,
      });
    }
    const now = new Date(this.options.clock.now());
    const counts = new Map(this.counts);
    for (const change of changes) {
      if (change.type === 'created') countObject(counts, change.path, 1, this.options.prefix);
      if (change.type === 'deleted') countObject(counts, change.path, -1, this.options.prefix);
    }
    const readme = repositoryReadme({
      cluster: this.options.cluster,
      folders: counts.values(),
      normalize: this.options.normalize,
    });
    const files = await this.deflater.filesOf(batch);
    const readmeChanged = readme !== this.committedReadme;
    if (readmeChanged) files.push({ path: this.readmePath, content: Buffer.from(readme) });
    const result = await this.options.repository.commitChanges(files, {
      message: labelDigestKeyChange(watchCommitMessage(changes), this.committedReadme, readme),
      author: { ...this.options.author, timestamp: Math.floor(now.getTime() / 1000) },
    });
    this.counts = counts;
    if (readmeChanged) {
      this.committedReadme = readme;
      this.committed.set(this.readmePath, hashObject('blob', Buffer.from(readme)));
    }
    for (const [path, change] of batch) this.rememberObject(path, change);
    if (!result) return undefined;
    this.options.logger.info('committed', { commit: result.commit.slice(0, 12), changes: changes.length });
    this.options.onCommit?.({ id: result.commit, changes });
    return result.commit;
  }

  private selected(resource: ApiResource, object: KubeObject): boolean {
    const key = namespaceKey(resource, {
      namespace: resource.namespaced ? object.metadata.namespace : undefined,
      name: object.metadata.name,
    });
    return !this.options.namespaceSelected || this.options.namespaceSelected(key);
  }

  /** `spec.replicas 2→3` for the commit body: the first few leaf changes of an update. */
  private async fieldSummary(path: string, previousId: string, change: PendingChange): Promise<string | undefined> {
    const recent = this.recentObjects.get(path);
    const before =
      recent?.id === previousId
        ? recent.object
        : parseObject((await this.options.repository.readBlob(previousId)).toString('utf8'));
    const changes = fieldChanges(before, change.object ?? parseObject(change.content!.toString('utf8')));
    if (changes.length === 0) return undefined;
    const shown = changes.slice(0, 3).map((c) => `${c.path} ${shortValue(c.before)}→${shortValue(c.after)}`);
    return changes.length > 3 ? `${shown.join(', ')} (+${changes.length - 3} more)` : shown.join(', ');
  }

  private rememberObject(path: string, change: PendingChange): void {
    this.recentObjects.delete(path);
    if (!change.object || !change.id) return;
    this.recentObjects.set(path, { id: change.id, object: change.object });
    if (this.recentObjects.size > RECENT_OBJECTS) this.recentObjects.delete(this.recentObjects.keys().next().value!);
  }

  private pathOf(resource: ApiResource, object: { metadata: { namespace?: string; name: string } }): string {
    return objectPath(
      {
        group: resource.group,
        resource: resource.resource,
        namespace: resource.namespaced ? object.metadata.namespace : undefined,
        name: object.metadata.name,
      },
      this.options.prefix,
    );
  }

  private *pathsOf(resource: ApiResource, namespace: string | undefined): Iterable<string> {
    for (const path of new Set([...this.committed.keys(), ...this.pending.keys()])) {
      const identity = parseObjectPath(path, this.options.prefix);
      if (!identity || identity.group !== resource.group || identity.resource !== resource.resource) continue;
      if (namespace !== undefined && identity.namespace !== namespace) continue;
      if (this.options.namespaceSelected && !this.options.namespaceSelected(namespaceKey(resource, identity))) continue;
      yield path;
    }
  }
}

/** Objects kept for field changes: a few MB, enough for a busy cluster's hot objects. */
const RECENT_OBJECTS = 10_000;

/** The namespace an object belongs to for selection: its own, or for a Namespace object the one it names. */
function namespaceKey(
  resource: Pick<ApiResource, 'group' | 'resource'>,
  identity: { namespace?: string; name: string },
): string | undefined {
  return isNamespacesResource(resource) ? identity.name : identity.namespace;
}

/** A field value for a one-line commit body: long values are cut, the diff has them whole. */
function shortValue(value: unknown): string {
  const text = formatFieldValue(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
