// Watch streams: replay from a resourceVersion (or the current state), then live events, bookmarks,
// selector-aware ADDED/MODIFIED/DELETED, chunked one JSON object per line.
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

/** Every open watch, so faults can drop them all and `stop()` can end them. */
export class WatchHub {
  private connections = new Set<ServerResponse>();
  bookmarkIntervalMs: number;
  private readonly clock: Clock;

  constructor(bookmarkIntervalMs: number, clock: Clock) {
    this.bookmarkIntervalMs = bookmarkIntervalMs;
    this.clock = clock;
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
    const write = (type: EventType | 'BOOKMARK' | 'ERROR', object: Buffer): void => {
      // The events of one turn of the event loop (a batch of writes, a replay of history) leave in one socket
      // write instead of a TLS record each.
      if (!corked) {
        corked = true;
        res.cork();
        process.nextTick(() => {
          corked = false;
          res.uncork();
        });
      }
      res.write(watchEventLine(type, object));
    };
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
    const translate = (event: StoredEvent, live: boolean): void => {
      // A custom resource's watches end with its CRD, as on the real server.
      if (live && servedByDeletedCrd(event)) {
        finish();
        res.end();
        return;
      }
      if (event.bucket !== bucket || (prefix && !event.key.startsWith(prefix))) return;
      const before = event.previous !== undefined && event.type !== 'ADDED' && request.selector(event.previous);
      const now = event.type !== 'DELETED' && request.selector(event.object);
      if (event.type === 'DELETED') {
        if (before || (event.previous === undefined && request.selector(event.object)))
          write('DELETED', encode(event.object));
      } else if (before && now) write('MODIFIED', encode(event.object));
      else if (now) write('ADDED', encode(event.object));
      else if (before) write('DELETED', encode(event.object));
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
          write('BOOKMARK', encodedJson(this.bookmark(def, String(cluster.store.revision), false)));
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
