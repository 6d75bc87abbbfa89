// Keeps one reflector per selected collection, following discovery: CustomResourceDefinition events
// (and a periodic refresh) start reflectors for new kinds and stop those of kinds that went away.
import { setMaxListeners } from 'node:events';
import { KubesnapError } from '../errors/index.ts';
import {
  ApiError,
  KubeClient,
  discoverResources,
  failedGroups,
  qualifiedResourceName,
  type ApiResource,
  type BackoffOptions,
} from '../kube/index.ts';
import { silentLogger, type Logger } from '../log/index.ts';
import type { KubeObject, NormalizeOptions } from '../normalize/index.ts';
import {
  objectInSelectedNamespaces,
  resolveSelection,
  selectCollections,
  type Collection,
  type Selection,
  type SelectionOptions,
} from '../selection/index.ts';
import { systemClock, type Clock } from '../health/index.ts';
import { ApiContact, DEFAULT_UNREACHABLE_AFTER_MS } from './api-contact.ts';
import { probeWhileQuiet } from './api-probe.ts';
import type { WatchMetrics } from './metrics.ts';
import { splitObjectKey, type ObjectName } from './object-key.ts';
import { RelistTurns } from './relist-turns.ts';
import { Reflector, type ReflectorEvent } from './reflector.ts';

/**
 * What a Watcher hands its consumer; `sequence` grows by one with every event, across all resources. A list's objects
 * come as upserts, then `synced` with their keys (`objectKey`): what the collection held and is not among them is gone.
 */
export type WatchEvent =
  | { type: 'upsert'; resource: ApiResource; object: KubeObject; sequence: number }
  | { type: 'delete'; resource: ApiResource; object: KubeObject; sequence: number }
  | { type: 'synced'; resource: ApiResource; namespace?: string; keys: string[]; sequence: number }
  | { type: 'resource-removed'; resource: ApiResource; sequence: number };

export interface WatcherOptions {
  client: KubeClient;
  selection?: SelectionOptions;
  normalize?: NormalizeOptions;
  /** Awaited in order per collection: that collection's stream is not read further while it runs. */
  onEvent: (event: WatchEvent) => void | Promise<void>;
  /** The consumer's room (HistoryWriter.roomForMore): relists run one at a time, each once there is room. */
  roomForMore?: () => Promise<void> | undefined;
  metrics?: WatchMetrics;
  logger?: Logger;
  /** How often discovery is read again for kinds that came or went (default 60 s). */
  discoveryIntervalMs?: number;
  /** Each watch asks the server to end it after between this and twice this many seconds (default 300). */
  watchTimeoutSeconds?: number;
  backoff?: BackoffOptions;
  /** `contact` is not ready once every request to the API server has failed for this long (default 30 s). */
  unreachableAfterMs?: number;
  /** Where the watcher and its reflectors read the time and wait (discovery refresh, retries); tests move it. */
  clock?: Clock;
  signal?: AbortSignal;
}

const CRDS: Pick<ApiResource, 'group' | 'resource'> = {
  group: 'apiextensions.k8s.io',
  resource: 'customresourcedefinitions',
};
const isCrds = (resource: ApiResource): boolean => resource.group === CRDS.group && resource.resource === CRDS.resource;

interface RunningReflector {
  collection: Collection;
  /** Watched only to follow discovery: its objects are not the consumer's. */
  hidden: boolean;
  controller: AbortController;
  run: Promise<void>;
  /** Resolves at the first synced event, when the collection turns out unreadable, or when it is no longer watched. */
  settled: Promise<void>;
  settle(): void;
}

const collectionKey = (resource: ApiResource, namespace?: string): string =>
  `${qualifiedResourceName(resource)}|${namespace ?? ''}`;

export class Watcher {
  /** Resolves once every collection selected at start() was listed (or found unreadable). */
  readonly ready: Promise<void>;
  /** Resolves when stop() finished; rejects when the watcher failed (the consumer threw, a request the server refuses for good). */
  readonly done: Promise<void>;
  /** Whether the API server answers, as a readiness source. */
  readonly contact: ApiContact;
  private readonly options: WatcherOptions;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly controller = new AbortController();
  private readonly streamClient: KubeClient;
  private readonly reflectors = new Map<string, RunningReflector>();
  private readonly relistTurns: RelistTurns;
  private sequence = 0;
  private settleReady!: (error?: unknown) => void;
  private settleDone!: (error?: unknown) => void;
  private readySettled = false;
  private started = false;
  private stopping?: Promise<void>;
  private refreshing?: Promise<void>;
  private refreshAgain = false;
  private discoveryLoop?: Promise<void>;
  private probeLoop?: Promise<void>;

  constructor(options: WatcherOptions) {
    this.options = options;
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.relistTurns = new RelistTurns(options.roomForMore);
    this.contact = new ApiContact({ unreachableAfterMs: options.unreachableAfterMs, clock: this.clock });
    // Every watch holds an HTTP/1.1 connection for minutes: they get their own unbounded pool so lists never queue behind them.
    this.streamClient = new KubeClient(options.client.connection, { maxSockets: Infinity });
    // One listener per reflector: a cluster serves dozens of kinds.
    setMaxListeners(0, this.controller.signal);
    this.ready = new Promise((resolve, reject) => {
      this.settleReady = (error) => {
        if (this.readySettled) return;
        this.readySettled = true;
        if (error === undefined) resolve();
        else reject(error);
      };
    });
    this.done = new Promise((resolve, reject) => {
      this.settleDone = (error) => (error === undefined ? resolve() : reject(error));
    });
    // Awaiting them is optional; a rejection nobody awaits must not crash the process.
    this.ready.catch(() => {});
    this.done.catch(() => {});
    options.signal?.addEventListener('abort', () => void this.stop(), { once: true });
  }

  /** Reads discovery and starts a reflector per selected collection; resolves once they run (not once they synced: see `ready`). */
  async start(): Promise<void> {
    if (this.started) throw new Error('Watcher.start() was called twice');
    this.started = true;
    let initial: RunningReflector[];
    try {
      initial = await this.reconcileCollections();
    } catch (error) {
      this.stopping ??= this.shutdown(error);
      throw error;
    }
    void Promise.all(initial.map((running) => running.settled)).then(() => this.settleReady());
    this.discoveryLoop = this.refreshPeriodically();
    // A third of the bound: a silent server is found out within it.
    const probeIntervalMs = Math.min(
      10_000,
      Math.ceil((this.options.unreachableAfterMs ?? DEFAULT_UNREACHABLE_AFTER_MS) / 3),
    );
    this.probeLoop = probeWhileQuiet({
      client: this.streamClient,
      contact: this.contact,
      intervalMs: probeIntervalMs,
      clock: this.clock,
      signal: this.controller.signal,
    });
  }

  /** Aborts every stream and waits for the reflectors to end. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(error?: unknown): Promise<void> {
    this.controller.abort();
    await Promise.allSettled([...this.reflectors.values()].map((running) => running.run));
    await Promise.allSettled([this.refreshing, this.discoveryLoop, this.probeLoop]);
    this.streamClient.close();
    this.settleReady(
      error ?? new KubesnapError('WATCH_STOPPED', 'the watcher was stopped before every collection was listed.'),
    );
    this.settleDone(error);
  }

  private fail(error: unknown): void {
    this.logger.error('watch failed', { reason: error instanceof Error ? error.message : String(error) });
    this.stopping ??= this.shutdown(error);
  }

  private async refreshPeriodically(): Promise<void> {
    const interval = this.options.discoveryIntervalMs ?? 60_000;
    const signal = this.controller.signal;
    while (!signal.aborted) {
      try {
        await this.clock.sleep(interval, signal);
      } catch {
        return;
      }
      this.requestRefresh();
    }
  }

  /** Reads discovery again soon; requests during a refresh fold into one more refresh after it. */
  private requestRefresh(): void {
    if (this.controller.signal.aborted) return;
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        try {
          await this.reconcileCollections();
        } catch (error) {
          if (this.controller.signal.aborted) return;
          this.contact.failed(error);
          this.logger.warn('discovery refresh failed; keeping the kinds watched so far', {
            reason: error instanceof Error ? error.message : String(error),
          });
        }
      } while (this.refreshAgain && !this.controller.signal.aborted);
    })().finally(() => {
      this.refreshing = undefined;
    });
  }

  /** Starts reflectors for collections discovery now selects, stops those it no longer does; returns the new ones. */
  private async reconcileCollections(): Promise<RunningReflector[]> {
    const { client } = this.options;
    const discovery = await discoverResources(client, { signal: this.controller.signal });
    this.contact.answered();
    if (this.controller.signal.aborted) return [];
    const selection = resolveSelection(discovery.resources, this.options.selection ?? {});
    const wanted = new Map<string, { collection: Collection; hidden: boolean }>();
    for (const collection of selectCollections(selection, this.options.normalize).collections) {
      wanted.set(collectionKey(collection.resource, collection.namespace), { collection, hidden: false });
    }
    const crds = discovery.resources.find(isCrds);
    if (crds && !wanted.has(collectionKey(crds)))
      wanted.set(collectionKey(crds), { collection: { resource: crds }, hidden: true });

    const groupsUnknown = failedGroups(discovery.failures);
    const removed = new Map<string, ApiResource>();
    for (const [key, running] of this.reflectors) {
      const next = wanted.get(key);
      if (next && sameVersion(next.collection.resource, running.collection.resource) && next.hidden === running.hidden)
        continue;
      if (!next && groupsUnknown.has(running.collection.resource.group)) continue;
      await this.stopReflector(key, running);
      if (!next && !running.hidden)
        removed.set(qualifiedResourceName(running.collection.resource), running.collection.resource);
    }
    const added: RunningReflector[] = [];
    for (const [key, { collection, hidden }] of wanted) {
      if (this.reflectors.has(key)) continue;
      if (this.controller.signal.aborted) break;
      removed.delete(qualifiedResourceName(collection.resource));
      added.push(this.startReflector(key, collection, hidden, selection));
    }
    for (const resource of removed.values()) {
      if (this.controller.signal.aborted) break;
      this.logger.info('kind no longer served; stopped watching it', { resource: qualifiedResourceName(resource) });
      try {
        await this.options.onEvent({ type: 'resource-removed', resource, sequence: ++this.sequence });
      } catch (error) {
        this.fail(error);
      }
    }
    return added;
  }

  private async stopReflector(key: string, running: RunningReflector): Promise<void> {
    this.reflectors.delete(key);
    running.settle();
    running.controller.abort();
    await running.run.catch(() => {});
  }

  private startReflector(key: string, collection: Collection, hidden: boolean, selection: Selection): RunningReflector {
    const { resource, namespace } = collection;
    const controller = new AbortController();
    const parent = this.controller.signal;
    parent.addEventListener('abort', () => controller.abort(), { once: true, signal: controller.signal });
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    let listed = false;
    const reflector = new Reflector({
      client: this.options.client,
      streamClient: this.streamClient,
      resource,
      namespace,
      labelSelector: hidden ? undefined : selection.options.labelSelector,
      watchTimeoutSeconds: this.options.watchTimeoutSeconds,
      backoff: this.options.backoff,
      clock: this.clock,
      metrics: this.options.metrics,
      contact: this.contact,
      logger: this.logger,
      signal: controller.signal,
      relistTurns: this.relistTurns,
      onUnreadable: (error: ApiError) => {
        settle();
        if (error.status === 404) this.requestRefresh();
      },
      onEvent: async (event: ReflectorEvent) => {
        const firstList = event.type === 'synced' && !listed;
        if (event.type === 'synced') listed = true;
        // The first list's CRDs are the ones discovery was just read with; a relist's ask once, at its end.
        const listing = event.type === 'upsert' && event.listed;
        if (isCrds(resource) && !firstList && !listing) this.requestRefresh();
        if (!hidden) await this.deliver(event, resource, namespace, selection);
        if (firstList) settle();
      },
    });
    const run = reflector.run().catch((error) => this.fail(error));
    const running: RunningReflector = { collection, hidden, controller, run, settled, settle };
    this.reflectors.set(key, running);
    return running;
  }

  private async deliver(
    event: ReflectorEvent,
    resource: ApiResource,
    namespace: string | undefined,
    selection: Selection,
  ): Promise<void> {
    const inScope = (object: { metadata: ObjectName }) => objectInSelectedNamespaces(object, resource, selection);
    if (event.type === 'synced') {
      await this.options.onEvent({
        type: 'synced',
        resource,
        namespace,
        keys: event.keys.filter((key) => inScope({ metadata: splitObjectKey(key) })),
        sequence: ++this.sequence,
      });
    } else if (inScope(event.object)) {
      await this.options.onEvent({ type: event.type, resource, object: event.object, sequence: ++this.sequence });
    }
  }
}

function sameVersion(a: ApiResource, b: ApiResource): boolean {
  return a.version === b.version && a.kind === b.kind && a.namespaced === b.namespaced;
}
