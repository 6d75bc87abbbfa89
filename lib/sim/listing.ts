// LIST semantics: namespace and selector filtering, limit/continue paging over a consistent snapshot.
import { bothSelectors, type Selector } from './selectors.ts';
import { badRequest, expired } from './status.ts';
import { bucketOf, type ObjectStore } from './store.ts';
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

export function listObjects(store: ObjectStore, def: ResourceDef, namespace: string | undefined, options: ListOptions = {}): ListResult {
  const bucket = bucketOf(def.group, def.resource);
  let revision = store.revision;
  let start = '';
  let entries: Array<[string, KubeObject]> | undefined;
  if (options.continueToken) {
    const token = decodeContinue(options.continueToken);
    revision = token.rv;
    start = token.start;
    entries = store.entriesAt(bucket, revision);
    if (!entries) {
      throw expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
    }
  } else {
    entries = store.entries(bucket);
  }
  const prefix = def.namespaced && namespace ? `${namespace}/` : '';
  const selector = bothSelectors(options.labelSelector, options.fieldSelector);
  const selected: Array<[string, KubeObject]> = [];
  const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
  let remaining = 0;
  let more = false;
  for (const entry of entries) {
    if (entry[0] < start || (prefix && !entry[0].startsWith(prefix))) continue;
    if (!selector(entry[1])) continue;
    if (selected.length < limit) selected.push(entry);
    else {
      more = true;
      remaining++;
    }
  }
  const result: ListResult = { items: selected.map((e) => e[1]), resourceVersion: String(revision) };
  if (more) {
    const lastKey = selected[selected.length - 1][0];
    result.continueToken = encodeContinue({ v: 'meta.k8s.io/v1', rv: revision, start: `${lastKey}\u0000` });
    if (!options.labelSelector && !options.fieldSelector) result.remainingItemCount = remaining;
  }
  return result;
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
