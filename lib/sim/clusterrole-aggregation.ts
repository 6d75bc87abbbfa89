// The clusterrole-aggregation controller: a ClusterRole with an aggregationRule gets, as its `rules`, what the rule
// gathers (aggregation-rule.ts), written by server-side apply as `clusterrole-aggregation-controller` - after the
// write that changed a ClusterRole, as a controller would.
import { outdatedAggregations } from './aggregation-rule.ts';
import { RBAC_GROUP } from './authorizer.ts';
import { bucketOf, type ObjectStore } from './store.ts';

const CLUSTER_ROLES = bucketOf(RBAC_GROUP, 'clusterroles');

export class ClusterRoleAggregator {
  private scheduled = false;

  /** `applyRules` writes a ClusterRole's rules the way the controller's server-side apply does. */
  constructor(
    private readonly store: ObjectStore,
    private readonly applyRules: (name: string, rules: unknown[]) => void,
  ) {
    store.subscribe((event) => {
      if (event.bucket === CLUSTER_ROLES) this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.sync();
    });
  }

  private sync(): void {
    const all = this.store.entries(CLUSTER_ROLES).map(([, role]) => role);
    for (const { name, rules } of outdatedAggregations(all)) this.applyRules(name, rules);
  }
}
