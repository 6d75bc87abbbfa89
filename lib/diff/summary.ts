import type { ChangeSet, ChangeType, ObjectChange, SummaryRow } from './types.ts';

/** `Deployment.apps`, `Secret`: a kind as the summary and headers name it, qualified by its group unless core. */
export function kindLabel(change: Pick<ObjectChange, 'kind' | 'group'>): string {
  return change.group ? `${change.kind}.${change.group}` : change.kind;
}

/** `shop/web`, or `web` for a cluster-scoped object. */
export function objectName(change: Pick<ObjectChange, 'namespace' | 'name'>): string {
  return change.namespace === undefined ? change.name : `${change.namespace}/${change.name}`;
}

export function countChanges(changeSet: ChangeSet): Record<ChangeType, number> {
  const counts = { created: 0, changed: 0, deleted: 0 };
  for (const object of changeSet.objects) counts[object.change]++;
  return counts;
}

/** `1 created, 2 changed, 0 deleted`. */
export function summaryLine(changeSet: ChangeSet): string {
  const counts = countChanges(changeSet);
  return `${counts.created} created, ${counts.changed} changed, ${counts.deleted} deleted`;
}

/** Counts per namespace and kind; cluster-scoped objects first, then namespaces and kinds by name. */
export function summarize(changeSet: ChangeSet): SummaryRow[] {
  const rows = new Map<string, SummaryRow>();
  for (const object of changeSet.objects) {
    const kind = kindLabel(object);
    const key = `${object.namespace ?? ''}\0${kind}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { namespace: object.namespace, kind, created: 0, changed: 0, deleted: 0 }));
    row[object.change]++;
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

/** Objects grouped by namespace ('' for cluster-scoped), in summary order. */
export function groupByNamespace(changeSet: ChangeSet): Map<string, ObjectChange[]> {
  const groups = new Map<string, ObjectChange[]>();
  const sorted = [...changeSet.objects].sort((a, b) => {
    const left = `${a.namespace ?? ''}\0${a.path}`;
    const right = `${b.namespace ?? ''}\0${b.path}`;
    return left < right ? -1 : left > right ? 1 : 0;
  });
  for (const object of sorted) {
    const key = object.namespace ?? '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(object);
  }
  return groups;
}

/** `HEAD~1 (1a2b3c4)`, `live`. */
export function sideLabel(side: ChangeSet['from']): string {
  if (!side.commit) return side.label;
  return side.label === side.commit ? side.commit.slice(0, 7) : `${side.label} (${side.commit.slice(0, 7)})`;
}
