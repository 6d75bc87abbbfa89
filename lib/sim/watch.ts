// Watch streams: replay from a resourceVersion (or the current state), then live events, bookmarks,
// selector-aware ADDED/MODIFIED/DELETED, chunked one JSON object per line. A watcher that does not read its live
// events is ended, as the API server's watch cache ends one whose buffer stays full.
import type { ServerResponse } from 'node:http';
import type { Clock } from '../health/index.ts';
import type { Cluster } from './cluster.ts';
import { encodedJson, servedJson, watchEventLine } from './encoding.ts';
import type { Selector } from './selectors.ts';
import { expired, resourceVersionTooLarge } from './status.ts';
import { bucketOf, type EventType, type StoredEvent } from './store.ts';
import type { KubeObject, ResourceDef } from './types.ts';

export interface WatchRequest {
  def: ResourceDef;
  namespace?: string;
  selector: Selector;
  /** undefined: start with the current state as ADDED events. */
  fromRevision?: number;
  sendInitialEvents: boolean;
  bookmarks: boolean;
  timeoutSeconds?: number;
  /** Encodes each event's object (e.g. as a Table row); default: the object as served at the watched version. */
  encode?: (object: KubeObject, first: boolean) => Buffer;
}

const CRD_BUCKET = bucketOf('apiextensions.k8s.io', 'customresourcedefinitions');

/**
 * Every open watch, so faults can drop them all and `stop()` can end them.
 *
 * Each watch holds at most `bufferEvents` live events its client has not taken yet (not yet handed to the socket,
 * beyond what the kernel's buffers hold). The real server gives each watcher a channel of 10 to 1,000 events and,
 * when one stays full past a ~100 ms budget, terminates it (cacheWatcher.add → forget, counted in
 * apiserver_terminated_watchers_total): the client sees the stream end after the events already queued, in order,
 * and must watch again from the last resourceVersion it read (or list again on 410). The first events of a watch
 * (its replay, or the current state) are written whatever their number, as the real server's processInterval
 * blocks on them; only live events can overflow, also when they queue behind a replay the client has not read.
 */
export class WatchHub {
  private connections = new Set<ServerResponse>();
  bookmarkIntervalMs: number;
  private readonly clock: Clock;
  private readonly bufferEvents: number;
  /** Watches ended because their client did not take their events. */
  terminated = 0;

  constructor(bookmarkIntervalMs: number, clock: Clock, bufferEvents: number) {
    this.bookmarkIntervalMs = bookmarkIntervalMs;
    this.clock = clock;
    this.bufferEvents = bufferEvents;
  }

  get size(): number {
    return this.connections.size;
  }

  /** Cuts every watch connection, as a load balancer or a dying server would. */
  dropAll(): void {
    for (const res of this.connections) res.destroy();
    this.connections.clear();
  }

  serve(cluster: Cluster, request: WatchRequest, res: ServerResponse): void {
    const { def } = request;
    const bucket = bucketOf(def.group, def.resource);
    const prefix = def.namespaced && request.namespace ? `${request.namespace}/` : '';
    let first = true;
    const encode = (object: KubeObject): Buffer => {
      const encoded = request.encode ? request.encode(object, first) : servedJson(def, object);
      first = false;
      return encoded;
    };
    let corked = false;
    // Live events written and not yet handed to the socket; those of this turn of the event loop have not had a
    // chance to leave yet, so a burst of writes in one turn never ends a watch whose client keeps up.
    let unsent = 0;
    let writtenThisTurn = 0;
    const sent = (): void => {
      unsent--;
    };
    const write = (type: EventType | 'BOOKMARK' | 'ERROR', object: Buffer, live = false): void => {
      // The events of one turn of the event loop (a batch of writes, a replay of history) leave in one socket
      // write instead of a TLS record each.
      if (!corked) {
        corked = true;
        res.cork();
        process.nextTick(() => {
          corked = false;
          writtenThisTurn = 0;
          res.uncork();
        });
      }
      if (!live) {
        res.write(watchEventLine(type, object));
        return;
      }
      unsent++;
      writtenThisTurn++;
      res.write(watchEventLine(type, object), sent);
    };
    const bufferFull = (): boolean => unsent - writtenThisTurn >= this.bufferEvents;
    let unsubscribe = (): void => {};
    let cancelBookmark = (): void => {};
    let cancelTimeout = (): void => {};
    const finish = (): void => {
      unsubscribe();
      cancelBookmark();
      cancelTimeout();
      this.connections.delete(res);
    };
    const servedByDeletedCrd = (event: StoredEvent): boolean => {
      if (event.bucket !== CRD_BUCKET || event.type !== 'DELETED') return false;
      const spec = event.object.spec as { group?: string; names?: { plural?: string } } | undefined;
      return spec?.group === def.group && spec?.names?.plural === def.resource;
    };
    /** The event as this watch's selector sees it (an object leaving the selection is DELETED), or not at all. */
    const seenAs = (event: StoredEvent): EventType | undefined => {
      const before = event.previous !== undefined && event.type !== 'ADDED' && request.selector(event.previous);
      if (event.type === 'DELETED') {
        return before || (event.previous === undefined && request.selector(event.object)) ? 'DELETED' : undefined;
      }
      const now = request.selector(event.object);
      if (before && now) return 'MODIFIED';
      if (now) return 'ADDED';
      return before ? 'DELETED' : undefined;
    };
    const translate = (event: StoredEvent, live: boolean): void => {
      // A custom resource's watches end with its CRD, as on the real server.
      if (live && servedByDeletedCrd(event)) {
        finish();
        res.end();
        return;
      }
      if (event.bucket !== bucket || (prefix && !event.key.startsWith(prefix))) return;
      const type = seenAs(event);
      if (!type) return;
      if (live && bufferFull()) {
        // The events already queued still reach the client, then the stream ends: it resumes from the last it read.
        this.terminated++;
        finish();
        res.end();
        return;
      }
      write(type, encode(event.object), live);
    };

    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    this.connections.add(res);

    if (request.fromRevision !== undefined && !request.sendInitialEvents) {
      const events = cluster.store.eventsSince(request.fromRevision);
      const { revision } = cluster.store;
      if (!events || request.fromRevision > revision) {
        const error = events
          ? resourceVersionTooLarge(request.fromRevision, revision)
          : expired(`too old resource version: ${request.fromRevision} (${cluster.store.oldestWatchable()})`);
        write('ERROR', encodedJson(error.status));
        this.connections.delete(res);
        res.end();
        return;
      }
      for (const event of events) translate(event, false);
    } else {
      const { items, resourceVersion } = cluster.list(def, request.namespace, { labelSelector: request.selector });
      for (const item of items) write('ADDED', encode(item));
      if (request.sendInitialEvents && request.bookmarks) {
        write('BOOKMARK', encodedJson(this.bookmark(def, resourceVersion, true)));
      }
    }

    unsubscribe = cluster.store.subscribe((event) => translate(event, true));
    if (request.bookmarks && this.bookmarkIntervalMs > 0) {
      const nextBookmark = (): void => {
        cancelBookmark = this.clock.setTimer(() => {
          // A bookmark is only a hint: a full buffer skips it (the real server's nonblockingAdd).
          if (!bufferFull()) {
            write('BOOKMARK', encodedJson(this.bookmark(def, String(cluster.store.revision), false)), true);
          }
          nextBookmark();
        }, this.bookmarkIntervalMs);
      };
      nextBookmark();
    }
    if (request.timeoutSeconds !== undefined && request.timeoutSeconds > 0) {
      cancelTimeout = this.clock.setTimer(() => {
        finish();
        res.end();
      }, request.timeoutSeconds * 1000);
    }
    res.on('close', finish);
  }

  private bookmark(def: ResourceDef, resourceVersion: string, initialEventsEnd: boolean): KubeObject {
    const metadata: KubeObject['metadata'] = { resourceVersion, creationTimestamp: null };
    if (initialEventsEnd) {
      const blueprint =
        JSON.stringify({
          kind: def.listKind,
          apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
          metadata: {},
          items: null,
        }) + '\n';
      metadata.annotations = {
        'k8s.io/initial-events-end': 'true',
        'kubernetes.io/initial-events-list-blueprint': Buffer.from(blueprint).toString('base64'),
      };
    }
    return { kind: def.kind, apiVersion: def.group ? `${def.group}/${def.version}` : def.version, metadata };
  }
}
