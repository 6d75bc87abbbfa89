// The clusterrole-aggregation controller: a ClusterRole with an aggregationRule gets, as its `rules`, the rules of
// every other ClusterRole its selectors match (by name, each rule once), written by server-side apply as
// `clusterrole-aggregation-controller` - after the write that changed a ClusterRole, as a controller would.
import { sameJson } from '../json/index.ts';
import { RBAC_GROUP } from './authorizer.ts';
import { labelSelectorMatches, type LabelSelectorObject } from './selectors.ts';
import { bucketOf, type ObjectStore } from './store.ts';
import type { KubeObject } from './types.ts';

const CLUSTER_ROLES = bucketOf(RBAC_GROUP, 'clusterroles');

function selectorsOf(role: KubeObject): LabelSelectorObject[] | undefined {
  const rule = role.aggregationRule as { clusterRoleSelectors?: LabelSelectorObject[] } | undefined | null;
  return rule ? (rule.clusterRoleSelectors ?? []) : undefined;
}

function aggregatedRules(role: KubeObject, selectors: LabelSelectorObject[], all: KubeObject[]): unknown[] {
  const rules: unknown[] = [];
  for (const selector of selectors) {
    for (const other of all) {
      if (other.metadata.name === role.metadata.name || !labelSelectorMatches(selector, other.metadata.labels))
        continue;
      for (const rule of (other.rules as unknown[] | undefined) ?? [])
        if (!rules.some((r) => sameJson(r, rule))) rules.push(rule);
    }
  }
  return rules;
}

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
    for (const role of all) {
      const selectors = selectorsOf(role);
      if (!selectors) continue;
      const rules = aggregatedRules(role, selectors, all);
      if (!sameJson(rules, (role.rules as unknown[] | undefined) ?? []))
        this.applyRules(String(role.metadata.name), rules);
    }
  }
}
