// client-go's reflector loop for one collection: list (page by page) → synced → watch from the list's
// resourceVersion with bookmarks; a dropped connection resumes from the last version seen; an
// expired version (410) or a server whose versions went backwards (storage replaced) relists.
import { systemClock, type Clock } from '../health/index.ts';
import {
  ApiError,
  backoffDelay,
  isGone,
  isUnreadableCollection,
  listPages,
  qualifiedResourceName,
  watchEvents,
  type ApiResource,
  type BackoffOptions,
  type KubeClient,
} from '../kube/index.ts';
import type { Logger } from '../log/index.ts';
import type { KubeObject } from '../normalize/index.ts';
import type { ContactRecorder } from './api-contact.ts';
import type { WatchMetrics } from './metrics.ts';
import { objectKey } from './object-key.ts';
import type { RelistTurns } from './relist-turns.ts';

export type ReflectorEvent =
  /** `listed`: one object of a list or relist, not a watch event. */
  | { type: 'upsert'; object: KubeObject; listed: boolean }
  | { type: 'delete'; object: KubeObject }
  /** A list or relist ended; its objects came before it as upserts, and what is not among their keys is gone. */
  | { type: 'synced'; keys: string[] };

export interface ReflectorOptions {
  /** Lists go through this client. */
  client: KubeClient;
  /** Watches go through this one (a watch holds a connection for minutes); default `client`. */
  streamClient?: KubeClient;
  resource: ApiResource;
  namespace?: string;
  labelSelector?: string;
  /** Each watch asks the server to end it after between this and twice this many seconds (default 300). */
  watchTimeoutSeconds?: number;
  backoff?: BackoffOptions;
  /** Where waits happen; tests pass one that records them. */
  clock?: Clock;
  /** Awaited in order: the reflector reads no further while it runs. */
  onEvent: (event: ReflectorEvent) => void | Promise<void>;
  /** Every relist (not the first list) waits for its turn here; shared by the reflectors of one watch. */
  relistTurns?: RelistTurns;
  /** The collection cannot be listed (403, 404, 405); 403 and 405 end the reflector, 404 is retried. */
  onUnreadable?: (error: ApiError) => void;
  metrics?: WatchMetrics;
  /** Told whether each request reached the API server. */
  contact?: ContactRecorder;
  logger?: Logger;
  signal: AbortSignal;
}

const DEFAULT_WATCH_TIMEOUT_SECONDS = 300;

/** The consumer threw: not a watch failure, nothing to retry. */
class ConsumerFailure {
  constructor(readonly error: unknown) {}
}

/** The server answered with versions older than one it already gave: its storage was replaced. */
class VersionsWentBack extends Error {}

export class Reflector {
  readonly resource: ApiResource;
  readonly namespace?: string;
  private readonly options: ReflectorOptions;
  private readonly name: string;
  private readonly clock: Clock;
  private lastResourceVersion = '';

  constructor(options: ReflectorOptions) {
    this.options = options;
    this.resource = options.resource;
    this.namespace = options.namespace;
    this.name = qualifiedResourceName(options.resource) + (options.namespace ? ` in ${options.namespace}` : '');
    this.clock = options.clock ?? systemClock;
  }

  /** Runs until the signal aborts (resolves) or the consumer throws (rejects with its error). */
  async run(): Promise<void> {
    const { signal } = this.options;
    const metricName = qualifiedResourceName(this.resource);
    let needsList = true;
    let listed = false;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        if (needsList) {
          await (listed ? this.relist() : this.list());
          listed = true;
          needsList = false;
          attempt = 0;
        }
        if (await this.watch()) attempt = 0;
        this.options.metrics?.restart(metricName);
      } catch (error) {
        if (error instanceof ConsumerFailure) throw error.error;
        if (signal.aborted) return;
        if (isGone(error) || isTooLargeResourceVersion(error) || error instanceof VersionsWentBack) {
          this.options.logger?.debug('watch expired; relisting', {
            resource: this.name,
            reason: (error as Error).message,
          });
          needsList = true;
          continue;
        }
        this.options.contact?.failed(error);
        this.options.metrics?.error(metricName);
        if (isUnreadableCollection(error)) {
          this.options.onUnreadable?.(error);
          if (error.status !== 404) {
            this.options.logger?.warn('cannot read; not watching it', {
              resource: this.name,
              reason: `${error.status} ${error.reason}`,
            });
            return;
          }
        } else if (error instanceof ApiError && !isRetriableStatus(error.status)) {
          throw error;
        }
        const delay = backoffDelay(attempt++, error, this.options.backoff);
        this.options.logger?.debug('watch failed; retrying', {
          resource: this.name,
          inMs: delay,
          reason: (error as Error).message,
        });
        try {
          await this.clock.sleep(delay, signal);
        } catch {
          return; // aborted while waiting
        }
      }
    }
  }

  /** A list after the first: counted, and in its turn among the watch's relists when they take turns. */
  private relist(): Promise<void> {
    const relist = () => {
      this.options.metrics?.relist(qualifiedResourceName(this.resource));
      return this.list();
    };
    return this.options.relistTurns ? this.options.relistTurns.take(relist) : relist();
  }

  /**
   * Hands each page's objects on as it arrives, each awaited, so the consumer's backpressure holds the next page back
   * and only one page is in memory; then the keys of everything listed, for the consumer to find what is gone.
   */
  private async list(): Promise<void> {
    const { signal } = this.options;
    let keys: string[] = [];
    let resourceVersion = '';
    for await (const page of listPages<KubeObject>(this.options.client, this.resource, {
      namespace: this.namespace,
      labelSelector: this.options.labelSelector,
      signal,
      retry: this.options.backoff,
    })) {
      this.options.contact?.answered();
      // The list started over (its continue token expired): what was handed on stays; the new list says what exists.
      if (page.restarted) keys = [];
      for (const object of page.items) {
        signal.throwIfAborted();
        keys.push(objectKey(object));
        await this.emit({ type: 'upsert', object, listed: true });
      }
      resourceVersion = page.resourceVersion;
    }
    this.lastResourceVersion = resourceVersion;
    await this.emit({ type: 'synced', keys });
  }

  /** One watch from the last version seen, until the server ends it; true when it delivered anything. */
  private async watch(): Promise<boolean> {
    const base = this.options.watchTimeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_SECONDS;
    const random = this.options.backoff?.random ?? Math.random;
    const metricName = qualifiedResourceName(this.resource);
    let delivered = false;
    for await (const event of watchEvents<KubeObject>(this.options.streamClient ?? this.options.client, this.resource, {
      namespace: this.namespace,
      resourceVersion: this.lastResourceVersion,
      labelSelector: this.options.labelSelector,
      allowWatchBookmarks: true,
      timeoutSeconds: Math.round(base * (1 + random())),
      signal: this.options.signal,
    })) {
      const resourceVersion = String(event.object.metadata?.resourceVersion ?? '');
      if (isOlder(resourceVersion, this.lastResourceVersion)) {
        throw new VersionsWentBack(
          `the server sent resourceVersion ${resourceVersion} after ${this.lastResourceVersion}`,
        );
      }
      delivered = true;
      this.options.contact?.answered();
      this.options.metrics?.event(metricName, event.type);
      if (event.type === 'ADDED' || event.type === 'MODIFIED')
        await this.emit({ type: 'upsert', object: event.object, listed: false });
      else if (event.type === 'DELETED') await this.emit({ type: 'delete', object: event.object });
      if (resourceVersion) this.lastResourceVersion = resourceVersion;
    }
    return delivered;
  }

  private async emit(event: ReflectorEvent): Promise<void> {
    try {
      await this.options.onEvent(event);
    } catch (error) {
      throw new ConsumerFailure(error);
    }
  }
}

const isRetriableStatus = (status: number): boolean => status === 429 || status >= 500;

/** A watch from a version the server has not reached (its storage was restored or replaced). */
function isTooLargeResourceVersion(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.status !== 504) return false;
  const causes = (error.details?.causes ?? []) as Array<{ reason?: string }>;
  return causes.some((cause) => cause.reason === 'ResourceVersionTooLarge');
}

/**
 * resourceVersions are opaque by contract, but every real server uses etcd revisions (integers that
 * only grow). A smaller one than already seen means the server's storage was replaced, which it
 * cannot tell a watch that resumes; only a relist sees the new state.
 */
function isOlder(version: string, than: string): boolean {
  if (!/^\d+$/.test(version) || !/^\d+$/.test(than)) return false;
  return BigInt(version) < BigInt(than);
}
