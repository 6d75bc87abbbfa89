import { mapWithConcurrency } from '../concurrency/index.ts';
import { ApiError, listPages, qualifiedResourceName, type ApiResource, type DiscoveryFailure, type KubeClient } from '../kube/index.ts';
import { objectPath, serializeObject } from '../layout/index.ts';
import { normalizeObject, type KubeObject, type NormalizeOptions, type SkipReason } from '../normalize/index.ts';
import { objectInSelectedNamespaces, selectCollections, type Selection } from '../selection/index.ts';

/** A resource that could not be read (discovery or list failed), and why. */
export interface UnreadableResource {
  resource: string;
  reason: string;
}

/** What a full read of the cluster produced: the files of a snapshot and what was left out. */
export interface ClusterState {
  /** path → YAML bytes of every kept object. */
  files: Map<string, Buffer>;
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
  concurrency?: number;
  pageSize?: number;
  signal?: AbortSignal;
  /** With `normalize.secrets: 'encrypt'`: encrypts a Secret's values before it is laid out (see secretSealing). */
  sealSecret?: (path: string, secret: KubeObject) => Promise<KubeObject>;
  onListingStarted?: (collections: number) => void;
  onResourceListed?: (resource: string, objects: number) => void;
}

/**
 * Lists every selected resource with bounded concurrency, normalises and lays out each object.
 * A resource the credentials may not list (403) or that is gone (404) is reported, not fatal;
 * anything else (the server unreachable mid-way) aborts the whole read, so nothing partial is committed.
 */
export async function collectClusterState(options: CollectOptions): Promise<ClusterState> {
  const { selection } = options;
  const { collections: targets, skippedKinds } = selectCollections(selection, options.normalize);
  const state: ClusterState = {
    files: new Map(),
    scope: {
      listed: new Map(),
      served: new Set(options.resources.map(qualifiedResourceName)),
      failedGroups: new Set(options.discoveryFailures.map((f) => (f.groupVersion.includes('/') ? f.groupVersion.split('/')[0] : ''))),
    },
    skippedObjects: new Map(),
    skippedKinds,
    unreadable: options.discoveryFailures.map((f) => ({ resource: f.groupVersion, reason: f.reason })),
    counts: new Map(),
  };
  options.onListingStarted?.(targets.length);
  await mapWithConcurrency(targets, options.concurrency ?? 4, async ({ resource, namespace }) => {
    const name = qualifiedResourceName(resource);
    const files = new Map<string, Buffer>();
    const skipped = new Map<SkipReason, number>();
    try {
      for await (const page of listPages<KubeObject>(options.client, resource, {
        namespace,
        labelSelector: selection.options.labelSelector,
        pageSize: options.pageSize,
        signal: options.signal,
      })) {
        if (page.restarted) {
          files.clear();
          skipped.clear();
        }
        for (const raw of page.items) {
          const sealing = addObject(raw, resource, options, files, skipped);
          if (sealing) await sealing;
        }
      }
    } catch (error) {
      if (error instanceof ApiError && (error.status === 403 || error.status === 404 || error.status === 405)) {
        state.unreadable.push({ resource: namespace ? `${name} in ${namespace}` : name, reason: `${error.status} ${error.reason}`.trim() });
        return;
      }
      throw error;
    }
    for (const [path, bytes] of files) state.files.set(path, bytes);
    for (const [reason, count] of skipped) state.skippedObjects.set(reason, (state.skippedObjects.get(reason) ?? 0) + count);
    state.counts.set(name, (state.counts.get(name) ?? 0) + files.size);
    const covered = state.scope.listed.get(name) ?? new Set<string>();
    covered.add(namespace ?? '*');
    state.scope.listed.set(name, covered);
    options.onResourceListed?.(name, files.size);
  });
  state.unreadable.sort((a, b) => a.resource.localeCompare(b.resource));
  return state;
}

/** Adds one object to `files`; a Secret to encrypt is added when the returned promise settles. */
function addObject(raw: KubeObject, resource: ApiResource, options: CollectOptions, files: Map<string, Buffer>, skipped: Map<SkipReason, number>): Promise<void> | undefined {
  if (!objectInSelectedNamespaces(raw, resource, options.selection)) return;
  const namespace = resource.namespaced ? raw.metadata.namespace : undefined;
  const result = normalizeObject(raw, resource, options.normalize);
  if (result.action === 'skip') {
    skipped.set(result.reason, (skipped.get(result.reason) ?? 0) + 1);
    return;
  }
  const path = objectPath({ group: resource.group, resource: resource.resource, namespace, name: raw.metadata.name }, options.prefix);
  if (options.sealSecret && resource.group === '' && resource.resource === 'secrets') {
    return options.sealSecret(path, result.object).then((sealed) => void files.set(path, Buffer.from(serializeObject(sealed))));
  }
  files.set(path, Buffer.from(serializeObject(result.object)));
  return undefined;
}
