import type { KubeClient } from './client.ts';
import { apiVersionOf, collectionPath, type ApiResource } from './discovery.ts';

type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; resourceVersion?: string } & Record<string, unknown>;
} & Record<string, unknown>;

export interface WriteOptions {
  /** Server-side dry run: validated and answered, nothing stored. */
  dryRun?: boolean;
  fieldManager?: string;
  signal?: AbortSignal;
}

export type JsonPatchOperation = {
  op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  path: string;
  value?: unknown;
  from?: string;
};

const FIELD_MANAGER = 'kubesnap';

function objectUrl(resource: ApiResource, namespace: string | undefined, name: string): string {
  return `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}`;
}

function writeQuery(options: WriteOptions): Record<string, string | undefined> {
  return { dryRun: options.dryRun ? 'All' : undefined, fieldManager: options.fieldManager ?? FIELD_MANAGER };
}

export function getObject<T = KubeObject>(
  client: KubeClient,
  resource: ApiResource,
  namespace: string | undefined,
  name: string,
  signal?: AbortSignal,
): Promise<T> {
  return client.json<T>('GET', objectUrl(resource, namespace, name), { signal });
}

export function createObject<T = KubeObject>(
  client: KubeClient,
  resource: ApiResource,
  object: KubeObject,
  options: WriteOptions = {},
): Promise<T> {
  const body = { ...object, apiVersion: apiVersionOf(resource), kind: resource.kind };
  return client.json<T>('POST', collectionPath(resource, object.metadata.namespace), {
    body,
    query: writeQuery(options),
    signal: options.signal,
  });
}

/** An RFC 6902 patch; a `test` of /metadata/resourceVersion in it makes the write fail (422) if someone changed the object meanwhile. */
export function jsonPatchObject<T = KubeObject>(
  client: KubeClient,
  resource: ApiResource,
  namespace: string | undefined,
  name: string,
  operations: JsonPatchOperation[],
  options: WriteOptions = {},
): Promise<T> {
  return client.json<T>('PATCH', objectUrl(resource, namespace, name), {
    body: operations,
    contentType: 'application/json-patch+json',
    query: writeQuery(options),
    signal: options.signal,
  });
}

/** A JSON merge patch (RFC 7386), or with `strategic` a strategic merge patch: lists of containers, ports, ... merge by key, as kubectl's edits do. */
export function mergePatchObject<T = KubeObject>(
  client: KubeClient,
  resource: ApiResource,
  namespace: string | undefined,
  name: string,
  patch: unknown,
  options: WriteOptions & { strategic?: boolean } = {},
): Promise<T> {
  return client.json<T>('PATCH', objectUrl(resource, namespace, name), {
    body: patch,
    contentType: options.strategic ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json',
    query: writeQuery(options),
    signal: options.signal,
  });
}

/** Server-side apply of a whole manifest under kubesnap's field manager (or the one given). */
export function applyObject<T = KubeObject>(
  client: KubeClient,
  resource: ApiResource,
  object: KubeObject,
  options: WriteOptions & { force?: boolean } = {},
): Promise<T> {
  const body = { ...object, apiVersion: apiVersionOf(resource), kind: resource.kind };
  return client.json<T>('PATCH', objectUrl(resource, object.metadata.namespace, object.metadata.name!), {
    body,
    contentType: 'application/apply-patch+yaml',
    query: { ...writeQuery(options), force: options.force ? 'true' : undefined },
    signal: options.signal,
  });
}

export function deleteObject(
  client: KubeClient,
  resource: ApiResource,
  namespace: string | undefined,
  name: string,
  options: WriteOptions = {},
): Promise<unknown> {
  return client.json('DELETE', objectUrl(resource, namespace, name), {
    query: { dryRun: options.dryRun ? 'All' : undefined },
    signal: options.signal,
  });
}
