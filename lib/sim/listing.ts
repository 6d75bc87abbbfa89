// LIST semantics: namespace and selector filtering, limit/continue paging over a consistent snapshot.
import { bothSelectors, type Selector } from './selectors.ts';
import { badRequest, expired } from './status.ts';
import { bucketOf, type BucketView, type ObjectStore } from './store.ts';
import type { KubeObject, ResourceDef } from './types.ts';

export interface ListOptions {
  labelSelector?: Selector;
  fieldSelector?: Selector;
  limit?: number;
  continueToken?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

export function listObjects(
  store: ObjectStore,
  def: ResourceDef,
  namespace: string | undefined,
  options: ListOptions = {},
): ListResult {
  const bucket = bucketOf(def.group, def.resource);
  let revision = store.revision;
  let start = '';
  let view: BucketView | undefined;
  if (options.continueToken) {
    const token = decodeContinue(options.continueToken);
    revision = token.rv;
    start = token.start;
    view = store.viewAt(bucket, revision);
    if (!view) {
      throw expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    }
  } else {
    view = store.view(bucket);
  }
  const { keys, objects } = view;
  const prefix = def.namespaced && namespace ? `${namespace}/` : '';
  const filtered = options.labelSelector !== undefined || options.fieldSelector !== undefined;
  const selector = bothSelectors(options.labelSelector, options.fieldSelector);
  const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
  const items: KubeObject[] = [];
  let lastKey = '';
  let index = firstIndexFrom(keys, start > prefix ? start : prefix);
  for (; index < keys.length && keys[index].startsWith(prefix); index++) {
    const object = objects.get(keys[index])!;
    if (!selector(object)) continue;
    if (items.length === limit) break;
    items.push(object);
    lastKey = keys[index];
  }
  const result: ListResult = { items, resourceVersion: String(revision) };
  if (index < keys.length && keys[index].startsWith(prefix)) {
    result.continueToken = encodeContinue({ v: 'meta.k8s.io/v1', rv: revision, start: `${lastKey}\u0000` });
    if (!filtered) result.remainingItemCount = countWithPrefix(keys, index, prefix);
  }
  return result;
}

/** The index of the first key not before `key` (keys are sorted). */
function firstIndexFrom(keys: readonly string[], key: string): number {
  return firstIndexWhere(keys, 0, (k) => k >= key);
}

/** How many keys from `from` on start with `prefix` (keys are sorted, so they are the ones up to the first that does not). */
function countWithPrefix(keys: readonly string[], from: number, prefix: string): number {
  return firstIndexWhere(keys, from, (k) => !k.startsWith(prefix)) - from;
}

/** Binary search: the first index from `low` on where `test` holds, for a test that stays true once it holds. */
function firstIndexWhere(keys: readonly string[], low: number, test: (key: string) => boolean): number {
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(keys[middle])) high = middle;
    else low = middle + 1;
  }
  return low;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(text: string): ContinueToken {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof token.rv !== 'number' || typeof token.start !== 'string') throw new Error('shape');
    return token;
  } catch {
    throw badRequest(`invalid continue token: ${text}`);
  }
}
