import { discoverResources, type KubeClient } from '../kube/index.ts';
import type { NormalizeOptions } from '../normalize/index.ts';
import { resolveSelection } from '../selection/index.ts';
import { collectClusterState, planChanges, type UnreadableResource } from '../snapshot/index.ts';
import type { SnapshotRepository } from '../store/index.ts';
import { pathGlobMatcher, type DiffFilter } from './filter.ts';
import { objectChange } from './object-change.ts';
import { resolveSide, type RevisionSpec } from './revisions.ts';
import type { ChangeSet, ObjectChange } from './types.ts';

export interface LiveDiffOptions {
  client: KubeClient;
  repository: SnapshotRepository;
  /** The revision to compare the cluster with; default `HEAD`. */
  revision?: RevisionSpec;
  filter?: DiffFilter;
  /** The same skip and Secret policies the snapshot was taken with. */
  normalize?: NormalizeOptions;
  prefix?: string;
  showSecrets?: boolean;
  concurrency?: number;
  pageSize?: number;
  signal?: AbortSignal;
}

export interface LiveChangeSet extends ChangeSet {
  /** Collections that could not be read: their objects are neither compared nor reported as gone. */
  unreadable: UnreadableResource[];
}

/**
 * Drift: the live cluster, read and normalised exactly as `kubesnap snapshot` would read it, against a
 * revision. The changes are the ones a snapshot taken now would commit, so there is no drift right after one.
 */
export async function diffLive(options: LiveDiffOptions): Promise<LiveChangeSet> {
  const { repository } = options;
  const from = await resolveSide(repository, options.revision ?? 'HEAD');
  const discovery = await discoverResources(options.client, { signal: options.signal });
  const selection = resolveSelection(discovery.resources, options.filter?.selection ?? {});
  const state = await collectClusterState({
    client: options.client,
    resources: discovery.resources,
    discoveryFailures: discovery.failures,
    selection,
    normalize: options.normalize ?? {},
    prefix: options.prefix,
    concurrency: options.concurrency,
    pageSize: options.pageSize,
    signal: options.signal,
  });
  const files = await repository.readFiles(from.commit);
  const planned = await planChanges(state, files, selection, {
    prefix: options.prefix,
    readOld: (path) => repository.readFile(from.commit, path),
  });
  const pathMatches = pathGlobMatcher(options.filter?.paths);
  const objects: ObjectChange[] = [];
  for (const { path } of planned.changes) {
    if (!pathMatches(path)) continue;
    const blob = files.get(path);
    const change = objectChange(path, blob === undefined ? undefined : await repository.readBlob(blob), state.files.get(path), {
      prefix: options.prefix,
      showSecrets: options.showSecrets,
    });
    if (change) objects.push(change);
  }
  objects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { from, to: { label: 'live' }, objects, unreadable: state.unreadable };
}
