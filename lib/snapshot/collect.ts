import { mapWithConcurrency } from '../concurrency/index.ts';
import {
  failedGroups,
  isUnreadableCollection,
  listDecodedPages,
  qualifiedResourceName,
  type ApiResource,
  type DiscoveryFailure,
  type KubeClient,
} from '../kube/index.ts';
import type { KubeObject, NormalizeOptions, SkipReason } from '../normalize/index.ts';
import { selectCollections, type Selection } from '../selection/index.ts';
import { collectedFile, type CollectedFile, type PageJob } from './list-page.ts';
import { ListPageProcessor, type PageProcessingOptions } from './page-processor.ts';

/** A resource that could not be read (discovery or list failed), and why. */
export interface UnreadableResource {
  resource: string;
  reason: string;
}

/** What a full read of the cluster produced: the files of a snapshot and what was left out. */
export interface ClusterState {
  /** path → the file of every kept object (YAML bytes, namespace, blob ready to commit). */
  files: Map<string, CollectedFile>;
  /** Which (resource, namespace) collections were read completely: only there can an absent file mean a deletion. */
  scope: ListedScope;
  /** Objects left out per reason (object-level policy). */
  skippedObjects: Map<SkipReason, number>;
  /** Kinds left out per reason (kind-level policy), as qualified resource names. */
  skippedKinds: Map<SkipReason, string[]>;
  unreadable: UnreadableResource[];
  /** Objects kept, per qualified resource name. */
  counts: Map<string, number>;
}

export interface ListedScope {
  /** Qualified resource names listed completely, each with the namespaces covered ('*' = all selected). */
  listed: Map<string, Set<string>>;
  /** Qualified names discovery served (listed or not). */
  served: Set<string>;
  /** API groups whose discovery failed: their kinds' files are never treated as gone. */
  failedGroups: Set<string>;
}

export interface CollectOptions {
  client: KubeClient;
  resources: ApiResource[];
  discoveryFailures: DiscoveryFailure[];
  selection: Selection;
  normalize: NormalizeOptions;
  prefix?: string;
  /** Collections listed at once. */
  concurrency?: number;
  /** Where pages are processed (worker threads for big lists). */
  pageProcessing?: PageProcessingOptions;
  pageSize?: number;
  signal?: AbortSignal;
  /** With `normalize.secrets: 'encrypt'`: encrypts a Secret's values before it is laid out (see secretSealing). */
  sealSecret?: (path: string, secret: KubeObject) => Promise<KubeObject>;
  onListingStarted?: (collections: number) => void;
  onResourceListed?: (resource: string, objects: number) => void;
}

/**
 * Lists every selected resource with bounded concurrency; each page is normalised and laid out by a
 * ListPageProcessor (worker threads for the pages of big collections). A resource the credentials may not list (403) or that is
 * gone (404) is reported, not fatal; anything else (the server unreachable mid-way) aborts the whole read, so
 * nothing partial is committed.
 */
export async function collectClusterState(options: CollectOptions): Promise<ClusterState> {
  const { selection } = options;
  const { collections: targets, skippedKinds } = selectCollections(selection, options.normalize);
  const state: ClusterState = {
    files: new Map(),
    scope: {
      listed: new Map(),
      served: new Set(options.resources.map(qualifiedResourceName)),
      failedGroups: failedGroups(options.discoveryFailures),
    },
    skippedObjects: new Map(),
    skippedKinds,
    unreadable: options.discoveryFailures.map((f) => ({ resource: f.groupVersion, reason: f.reason })),
    counts: new Map(),
  };
  options.onListingStarted?.(targets.length);
  const pages = new ListPageProcessor(options.pageProcessing);
  try {
    await mapWithConcurrency(targets, options.concurrency ?? 4, async ({ resource, namespace }) => {
      const name = qualifiedResourceName(resource);
      const listed = await listCollection(resource, namespace, options, pages);
      if ('unreadable' in listed) {
        state.unreadable.push({ resource: namespace ? `${name} in ${namespace}` : name, reason: listed.unreadable });
        return;
      }
      for (const [path, file] of listed.files) state.files.set(path, file);
      for (const [reason, count] of listed.skipped)
        state.skippedObjects.set(reason, (state.skippedObjects.get(reason) ?? 0) + count);
      state.counts.set(name, (state.counts.get(name) ?? 0) + listed.files.size);
      const covered = state.scope.listed.get(name) ?? new Set<string>();
      covered.add(namespace ?? '*');
      state.scope.listed.set(name, covered);
      options.onResourceListed?.(name, listed.files.size);
    });
  } finally {
    await pages.close();
  }
  state.unreadable.sort((a, b) => a.resource.localeCompare(b.resource));
  return state;
}

type ListedCollection =
  | { files: Map<string, CollectedFile>; skipped: Map<SkipReason, number> }
  | { unreadable: string };

/** One collection, every page; a 403/404/405 makes it unreadable instead of failing the read. */
async function listCollection(
  resource: ApiResource,
  namespace: string | undefined,
  options: CollectOptions,
  pages: ListPageProcessor,
): Promise<ListedCollection> {
  const { selection } = options;
  const job: PageJob = {
    resource,
    normalize: options.normalize,
    namespaces: { namespaces: selection.options.namespaces, excludeNamespaces: selection.options.excludeNamespaces },
    prefix: options.prefix,
    sealSecrets: options.sealSecret !== undefined,
  };
  const files = new Map<string, CollectedFile>();
  const skipped = new Map<SkipReason, number>();
  // Known after the first page (its remainingItemCount), or once that many were listed (a selector hides the
  // count): only then may the rest go to worker threads.
  let big = false;
  let listed = 0;
  const listing = listDecodedPages(
    options.client,
    resource,
    {
      namespace,
      labelSelector: selection.options.labelSelector,
      pageSize: options.pageSize,
      signal: options.signal,
    },
    (body) => pages.process(body, job, big),
  );
  try {
    for await (const page of listing) {
      if (page.restarted) {
        files.clear();
        skipped.clear();
        listed = 0;
      }
      listed += page.items;
      big ||= pages.isBigCollection(listed + (page.metadata.remainingItemCount ?? 0));
      for (const file of page.files) files.set(file.path, file);
      for (const secret of page.toSeal)
        files.set(
          secret.path,
          collectedFile(secret.path, secret.namespace, await options.sealSecret!(secret.path, secret.object)),
        );
      for (const [reason, count] of page.skipped) skipped.set(reason, (skipped.get(reason) ?? 0) + count);
    }
  } catch (error) {
    if (isUnreadableCollection(error)) return { unreadable: `${error.status} ${error.reason}`.trim() };
    throw error;
  }
  return { files, skipped };
}
