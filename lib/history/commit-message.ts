import { renderTemplate } from './template.ts';

export type ChangeType = 'created' | 'updated' | 'deleted';

export interface PathChange {
  path: string;
  type: ChangeType;
  /** Namespace of the object, undefined for cluster-scoped ones and for non-object files. */
  namespace?: string;
}

export interface ClusterIdentity {
  /** API server URL, never with credentials in it. */
  server: string;
  context: string;
}

export function countChanges(changes: readonly PathChange[]): Record<ChangeType, number> {
  const counts = { created: 0, updated: 0, deleted: 0 };
  for (const change of changes) counts[change.type]++;
  return counts;
}

export function changeSummary(changes: readonly PathChange[]): string {
  const counts = countChanges(changes);
  return `${counts.created} created, ${counts.updated} updated, ${counts.deleted} deleted`;
}

/** `snapshot: 12 created, 3 updated, 1 deleted`, then the changed paths grouped by namespace, then trailers. */
export function snapshotCommitMessage(changes: readonly PathChange[], cluster: ClusterIdentity): string {
  const groups = new Map<string, PathChange[]>();
  for (const change of [...changes].sort((a, b) => a.path.localeCompare(b.path))) {
    const group = change.namespace ?? '(cluster)';
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group)!.push(change);
  }
  const body = [...groups.entries()]
    .sort(([a], [b]) => (a === '(cluster)' ? -1 : b === '(cluster)' ? 1 : a.localeCompare(b)))
    .map(([group, entries]) => `${group}:\n${entries.map((e) => `  ${e.type.padEnd(8)} ${e.path}`).join('\n')}\n`)
    .join('\n');
  return renderTemplate('snapshot-commit.txt', {
    summary: changeSummary(changes),
    body,
    server: cluster.server,
    context: cluster.context,
  });
}
