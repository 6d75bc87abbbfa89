import { StringDecoder } from 'node:string_decoder';
import { ApiError } from './api-error.ts';
import type { KubeClient } from './client.ts';
import { apiVersionOf, collectionPath, type ApiResource } from './discovery.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

type WatchedObject = { apiVersion?: string; kind?: string; metadata?: Record<string, unknown> } & Record<
  string,
  unknown
>;

/** One event of a watch stream. ERROR events never appear here: they are thrown as ApiError. */
export interface RawWatchEvent<T extends WatchedObject = WatchedObject> {
  type: WatchEventType;
  object: T;
}

export interface WatchOptions {
  namespace?: string;
  /** Start after this version; absent or '' means "the current state as ADDED events, then changes". */
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  /** The server ends the watch after this long (the caller re-watches); also bounds how long a dead connection can go unnoticed. */
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
  signal?: AbortSignal;
}

/** How long past the server's own timeout a silent connection is taken for dead (half-open TCP). */
const SILENCE_GRACE_SECONDS = 60;

/**
 * Streams a collection's watch events, one JSON object per line, however the chunks split the lines.
 * The generator returns when the server ends the watch (its timeoutSeconds) and throws when the
 * connection breaks. An ERROR event is thrown as the ApiError its Status describes, so a
 * "too old resource version" is `isGone(error)` (410 Expired), exactly as if the request had failed.
 */
export async function* watchEvents<T extends WatchedObject = WatchedObject>(
  client: KubeClient,
  resource: ApiResource,
  options: WatchOptions = {},
): AsyncGenerator<RawWatchEvent<T>> {
  const path = collectionPath(resource, options.namespace);
  const response = await client.stream(path, {
    signal: options.signal,
    timeoutMs: options.timeoutSeconds ? (options.timeoutSeconds + SILENCE_GRACE_SECONDS) * 1000 : undefined,
    query: {
      watch: 1,
      resourceVersion: options.resourceVersion,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      allowWatchBookmarks: options.allowWatchBookmarks || undefined,
      timeoutSeconds: options.timeoutSeconds,
      sendInitialEvents: options.sendInitialEvents,
      resourceVersionMatch: options.sendInitialEvents ? 'NotOlderThan' : undefined,
    },
  });
  const apiVersion = apiVersionOf(resource);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for await (const chunk of response) {
      pending += decoder.write(chunk as Buffer);
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim()) yield parseEvent<T>(line, path, apiVersion, resource.kind);
      }
    }
    pending += decoder.end();
    if (pending.trim()) yield parseEvent<T>(pending, path, apiVersion, resource.kind);
  } finally {
    response.destroy();
  }
}

function parseEvent<T extends WatchedObject>(
  line: string,
  path: string,
  apiVersion: string,
  kind: string,
): RawWatchEvent<T> {
  let event: { type?: string; object?: WatchedObject };
  try {
    event = JSON.parse(line);
  } catch {
    throw new ApiError(
      500,
      'InternalError',
      `watch ${path}: the server sent a line that is not JSON: ${line.slice(0, 120)}`,
    );
  }
  if (event.type === 'ERROR') throw statusError(event.object ?? {}, path);
  if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED' && event.type !== 'BOOKMARK') {
    throw new ApiError(500, 'InternalError', `watch ${path}: unknown event type ${JSON.stringify(event.type)}`);
  }
  // A real server's events carry kind and apiVersion; they are filled in for servers that leave them out.
  const object = (event.object ?? {}) as T;
  object.apiVersion ??= apiVersion;
  object.kind ??= kind;
  return { type: event.type, object };
}

function statusError(status: Record<string, unknown>, path: string): ApiError {
  const code = typeof status.code === 'number' ? status.code : 500;
  const reason = typeof status.reason === 'string' ? status.reason : 'InternalError';
  const message = typeof status.message === 'string' ? status.message : `${code} ${reason}`;
  return new ApiError(code, reason, `watch ${path}: ${message}`, {
    details: status.details as Record<string, unknown> | undefined,
  });
}
