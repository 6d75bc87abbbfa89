import { isGone } from './api-error.ts';
import type { KubeClient } from './client.ts';
import { apiVersionOf, collectionPath, type ApiResource } from './discovery.ts';
import { withRetry, type BackoffOptions } from './retry.ts';

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size (limit/continue). */
  pageSize?: number;
  signal?: AbortSignal;
  retry?: BackoffOptions;
}

export interface ListPage<T> {
  items: T[];
  /** The list's resourceVersion; the same on every page of one consistent list. */
  resourceVersion: string;
}

type ListedObject = { apiVersion?: string; kind?: string; metadata?: Record<string, unknown> } & Record<string, unknown>;

/**
 * Pages through a collection with limit/continue. Items come without kind/apiVersion from a real
 * server; they are filled in here. An expired continue token (410) restarts the list from the top,
 * so a caller sees one consistent list (it must drop what it took from the abandoned pages: the
 * first page of a restart has `restarted: true`).
 */
export async function* listPages<T extends ListedObject = ListedObject>(client: KubeClient, resource: ApiResource, options: ListOptions = {}): AsyncGenerator<ListPage<T> & { restarted: boolean }> {
  const path = collectionPath(resource, options.namespace);
  const apiVersion = apiVersionOf(resource);
  let continueToken: string | undefined;
  let restarted = false;
  do {
    let page: { metadata?: { resourceVersion?: string; continue?: string }; items?: T[] };
    try {
      page = await withRetry(() => client.json('GET', path, {
        signal: options.signal,
        query: { limit: options.pageSize ?? 500, continue: continueToken, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector },
      }), { ...options.retry, signal: options.signal });
    } catch (error) {
      if (continueToken && isGone(error)) {
        continueToken = undefined;
        restarted = true;
        continue;
      }
      throw error;
    }
    const items = (page.items ?? []).map((item) => ({ apiVersion, kind: resource.kind, ...item }) as T);
    yield { items, resourceVersion: page.metadata?.resourceVersion ?? '', restarted };
    restarted = false;
    continueToken = page.metadata?.continue || undefined;
  } while (continueToken);
}

/** The whole collection in memory, for small lists and tests. */
export async function listAll<T extends ListedObject = ListedObject>(client: KubeClient, resource: ApiResource, options: ListOptions = {}): Promise<ListPage<T>> {
  let items: T[] = [];
  let resourceVersion = '';
  for await (const page of listPages<T>(client, resource, options)) {
    if (page.restarted) items = [];
    items.push(...page.items);
    resourceVersion = page.resourceVersion;
  }
  return { items, resourceVersion };
}
