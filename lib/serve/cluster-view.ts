import { diffLive, type LiveChangeSet } from '../diff/index.ts';
import type { KubeClient } from '../kube/index.ts';
import type { NormalizeOptions } from '../normalize/index.ts';
import { planRestore } from '../restore/index.ts';
import type { RestorePlan } from '../restore/types.ts';
import type { SnapshotRepository } from '../store/index.ts';

/** A restore preview's scope, as the restore command's flags spell it. */
export interface RestoreScope {
  revision: string;
  namespaces: string[];
  kinds: string[];
  paths: string[];
}

/** The live cluster as serve's drift and restore-preview pages read it: the same computations as `diff --live` and `restore`'s plan, never a write. */
export interface ClusterView {
  drift(revision: string): Promise<LiveChangeSet>;
  restorePlan(scope: RestoreScope): Promise<RestorePlan>;
}

/** `normalize` as the watch that wrote the repository has it: its digest key above all, or every redacted value differs. */
export function liveClusterView(
  client: KubeClient,
  repository: SnapshotRepository,
  options: { prefix?: string; normalize?: NormalizeOptions } = {},
): ClusterView {
  const { prefix, normalize } = options;
  return {
    drift: (revision) => diffLive({ client, repository, revision, prefix, normalize }),
    restorePlan: (scope) =>
      planRestore({
        client,
        repository,
        prefix,
        normalize,
        revision: scope.revision,
        selection: { namespaces: scope.namespaces, include: scope.kinds.length ? scope.kinds : undefined },
        paths: scope.paths.length ? scope.paths : undefined,
      }),
  };
}
