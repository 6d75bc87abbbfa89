// What an aggregationRule gathers, as the clusterrole-aggregation controller computes it: the rules of every other
// ClusterRole its selectors match (selector by selector, the matches by name, each rule once). Pure: the controller
// (clusterrole-aggregation.ts) writes what `outdatedAggregations` finds; `settledAggregation` runs its passes to the
// end over roles that are not stored (the bootstrap policy's admin, edit and view).
import { sameJson } from '../json/index.ts';
import { labelSelectorMatches, type LabelSelectorObject } from './selectors.ts';
import type { KubeObject } from './types.ts';

function aggregationSelectors(role: KubeObject): LabelSelectorObject[] | undefined {
  const rule = role.aggregationRule as { clusterRoleSelectors?: LabelSelectorObject[] } | undefined | null;
  return rule ? (rule.clusterRoleSelectors ?? []) : undefined;
}

// Go's string order (the controller sorts with it), which a locale's would not be.
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The other roles one selector of `role` matches, by name as the controller sorts them. */
function selectedRoles(role: KubeObject, selector: LabelSelectorObject, all: readonly KubeObject[]): KubeObject[] {
  return all
    .filter(
      (other) => other.metadata.name !== role.metadata.name && labelSelectorMatches(selector, other.metadata.labels),
    )
    .sort((a, b) => byteOrder(String(a.metadata.name), String(b.metadata.name)));
}

function aggregatedRules(role: KubeObject, selectors: LabelSelectorObject[], all: readonly KubeObject[]): unknown[] {
  const rules: unknown[] = [];
  for (const selector of selectors)
    for (const other of selectedRoles(role, selector, all))
      for (const rule of (other.rules as unknown[] | undefined) ?? [])
        if (!rules.some((r) => sameJson(r, rule))) rules.push(rule);
  return rules;
}

/** What one pass of the controller writes: each aggregating role whose gathered rules differ from its own. */
export function outdatedAggregations(all: readonly KubeObject[]): Array<{ name: string; rules: unknown[] }> {
  const outdated: Array<{ name: string; rules: unknown[] }> = [];
  for (const role of all) {
    const selectors = aggregationSelectors(role);
    if (!selectors) continue;
    const rules = aggregatedRules(role, selectors, all);
    if (!sameJson(rules, (role.rules as unknown[] | undefined) ?? []))
      outdated.push({ name: String(role.metadata.name), rules });
  }
  return outdated;
}

/** `roles` as the controller leaves them: passes until none changes anything (view gathers into edit, then admin). */
export function settledAggregation(roles: readonly KubeObject[]): KubeObject[] {
  let settled = [...roles];
  for (let pass = 0; pass <= roles.length; pass++) {
    const outdated = new Map(outdatedAggregations(settled).map(({ name, rules }) => [name, rules]));
    if (outdated.size === 0) return settled;
    settled = settled.map((role) => {
      const rules = outdated.get(String(role.metadata.name));
      return rules ? { ...role, rules } : role;
    });
  }
  throw new Error('ClusterRole aggregation does not settle');
}
