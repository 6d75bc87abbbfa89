import { diffLive, type LiveChangeSet } from '../diff/index.ts';
import type { KubeClient } from '../kube/index.ts';
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

export function liveClusterView(client: KubeClient, repository: SnapshotRepository, prefix?: string): ClusterView {
  return {
    drift: (revision) => diffLive({ client, repository, revision, prefix }),
    restorePlan: (scope) =>
      planRestore({
        client,
        repository,
        prefix,
        revision: scope.revision,
        selection: { namespaces: scope.namespaces, include: scope.kinds.length ? scope.kinds : undefined },
        paths: scope.paths.length ? scope.paths : undefined,
      }),
  };
}
