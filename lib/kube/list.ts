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

type ListedObject = { apiVersion?: string; kind?: string; metadata?: Record<string, unknown> } & Record<
  string,
  unknown
>;

/** The list metadata every decoded page must give back, for paging. */
export interface ListPageMetadata {
  resourceVersion?: string;
  continue?: string;
  /** How many objects follow this page (sent with limit, when no selector is given). */
  remainingItemCount?: number;
}

/**
 * Pages through a collection with limit/continue, handing each page's raw body to `decode` (which may parse it
 * anywhere, e.g. in a worker thread) and yielding what it returns. An expired continue token (410) restarts the
 * list from the top, so a caller sees one consistent list (it must drop what it took from the abandoned pages:
 * the first page of a restart has `restarted: true`).
 */
export async function* listDecodedPages<P extends { metadata: ListPageMetadata }>(
  client: KubeClient,
  resource: ApiResource,
  options: ListOptions,
  decode: (body: Buffer) => Promise<P>,
): AsyncGenerator<P & { restarted: boolean }> {
  const path = collectionPath(resource, options.namespace);
  let continueToken: string | undefined;
  let restarted = false;
  for (;;) {
    let body: Buffer;
    try {
      body = (
        await withRetry(
          () =>
            client.request('GET', path, {
              signal: options.signal,
              query: {
                limit: options.pageSize ?? 500,
                continue: continueToken,
                labelSelector: options.labelSelector,
                fieldSelector: options.fieldSelector,
              },
            }),
          { ...options.retry, signal: options.signal },
        )
      ).body;
    } catch (error) {
      if (continueToken && isGone(error)) {
        continueToken = undefined;
        restarted = true;
        continue;
      }
      throw error;
    }
    const page = await decode(body);
    yield { ...page, restarted };
    restarted = false;
    continueToken = page.metadata.continue || undefined;
    if (!continueToken) return;
  }
}

/**
 * The pages of a collection as objects. Items come without kind/apiVersion from a real server; they are filled
 * in here.
 */
export async function* listPages<T extends ListedObject = ListedObject>(
  client: KubeClient,
  resource: ApiResource,
  options: ListOptions = {},
): AsyncGenerator<ListPage<T> & { restarted: boolean }> {
  const apiVersion = apiVersionOf(resource);
  const decode = async (body: Buffer) => {
    const page = JSON.parse(body.toString('utf8')) as { metadata?: ListPageMetadata; items?: T[] };
    const items = (page.items ?? []).map((item) => ({ apiVersion, kind: resource.kind, ...item }) as T);
    return { metadata: page.metadata ?? {}, items, resourceVersion: page.metadata?.resourceVersion ?? '' };
  };
  for await (const { items, resourceVersion, restarted } of listDecodedPages(client, resource, options, decode))
    yield { items, resourceVersion, restarted };
}

/** The whole collection in memory, for small lists and tests. */
export async function listAll<T extends ListedObject = ListedObject>(
  client: KubeClient,
  resource: ApiResource,
  options: ListOptions = {},
): Promise<ListPage<T>> {
  let items: T[] = [];
  let resourceVersion = '';
  for await (const page of listPages<T>(client, resource, options)) {
    if (page.restarted) items = [];
    items.push(...page.items);
    resourceVersion = page.resourceVersion;
  }
  return { items, resourceVersion };
}
