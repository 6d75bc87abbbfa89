import { discoverResources, type KubeClient } from '../kube/index.ts';
import type { NormalizeOptions } from '../normalize/index.ts';
import type { SecretSealer } from '../secrets/index.ts';
import { resolveSelection, type Selection, type SelectionOptions } from '../selection/index.ts';
import type { SnapshotRepository } from '../store/index.ts';
import { planChanges, type PlannedChanges } from './changes.ts';
import { collectClusterState, type ClusterState } from './collect.ts';
import type { PageProcessingOptions } from './page-processor.ts';
import { secretSealing } from './secret-sealing.ts';

/** How the cluster is read: shared by everything that reads it as a snapshot does. */
export interface ClusterReadOptions {
  client: KubeClient;
  repository: SnapshotRepository;
  selection?: SelectionOptions;
  /** Secrets are sealed as a snapshot with these recipients would seal them. */
  sealer?: SecretSealer;
  /** Folder inside the repository (`clusters/prod`), so many clusters can share one. */
  prefix?: string;
  concurrency?: number;
  /** Where list pages are processed (see ListPageProcessor). */
  pageProcessing?: PageProcessingOptions;
  pageSize?: number;
  signal?: AbortSignal;
  onListingStarted?: (collections: number) => void;
  onResourceListed?: (resource: string, objects: number) => void;
}

export interface ClusterChangesOptions extends ClusterReadOptions {
  /** The commit the cluster is compared with; undefined for an empty repository. */
  base?: string;
  /** The files of `base` (path → blob id). */
  baseFiles: ReadonlyMap<string, string>;
  normalize: NormalizeOptions;
}

export interface ClusterChanges {
  state: ClusterState;
  selection: Selection;
  planned: PlannedChanges;
}

/**
 * Reads the selected cluster as a snapshot does and compares it with a commit: what a snapshot taken
 * now would commit. Shared by `snapshot` (which commits it) and `diff --live` (which shows it).
 */
export async function readClusterChanges(options: ClusterChangesOptions): Promise<ClusterChanges> {
  const { repository, base } = options;
  const discovery = await discoverResources(options.client, { signal: options.signal });
  const selection = resolveSelection(discovery.resources, options.selection ?? {});
  const state = await collectClusterState({
    sealSecret: options.sealer && secretSealing(options.sealer, repository, options.baseFiles),
    client: options.client,
    resources: discovery.resources,
    discoveryFailures: discovery.failures,
    selection,
    normalize: options.normalize,
    prefix: options.prefix,
    concurrency: options.concurrency,
    pageProcessing: options.pageProcessing,
    pageSize: options.pageSize,
    signal: options.signal,
    onListingStarted: options.onListingStarted,
    onResourceListed: options.onResourceListed,
  });
  const planned = await planChanges(state, options.baseFiles, selection, {
    prefix: options.prefix,
    readOld: async (path) => (base ? repository.readFile(base, path) : undefined),
  });
  return { state, selection, planned };
}
