import type { Attribution } from './attribution.ts';
import { changeSummary, type PathChange } from './commit-message.ts';
import { isRestoreManager, restorerOf } from './restore-manager.ts';

export interface ObjectChange extends PathChange {
  attribution?: Attribution;
  /** Field-level summary, e.g. `spec.replicas 2→3`. */
  fields?: string;
  /** Why, when it was not a user's change (a kind removed from the API server). */
  reason?: string;
}

/**
 * `watch: 1 created, 2 updated, 0 deleted`, a body line per object
 * (`updated payments/deployments.apps/api  spec.replicas 2→3  by kubectl-scale at 10:42:07Z`),
 * and one `Kubesnap-Changed-By:` trailer per manager so tools can parse who changed what. A commit whose every
 * created or updated object a restore wrote says `restore:` instead of `watch:`; each restorer a restore's field
 * manager names gets a `Kubesnap-Restored-By:` trailer.
 */
export function watchCommitMessage(changes: readonly ObjectChange[]): string {
  const sorted = [...changes].sort((a, b) => a.path.localeCompare(b.path));
  const lines = sorted.map((change) => {
    const parts = [`${change.type} ${change.path.replace(/\.yaml$/, '')}`];
    if (change.fields) parts.push(change.fields);
    if (change.attribution && change.type !== 'deleted') {
      parts.push(
        `by ${change.attribution.manager}${change.attribution.time ? ` at ${timeOfDay(change.attribution.time)}` : ''}`,
      );
    }
    if (change.reason) parts.push(`(${change.reason})`);
    return parts.join('  ');
  });
  // A deletion names no writer (a watch never sees who deleted), so it neither makes nor unmakes a restore commit.
  const written = sorted.filter((c) => c.type !== 'deleted');
  const managers = [
    ...new Set(written.map((c) => c.attribution?.manager).filter((manager): manager is string => Boolean(manager))),
  ].sort();
  const restorers = [...new Set(managers.map(restorerOf).filter((restorer) => restorer !== undefined))].sort();
  const trailers = [
    ...managers.map((manager) => `Kubesnap-Changed-By: ${manager}`),
    ...restorers.map((restorer) => `Kubesnap-Restored-By: ${restorer}`),
  ];
  const byRestore =
    written.length > 0 && written.every((c) => c.attribution !== undefined && isRestoreManager(c.attribution.manager));
  return `${byRestore ? 'restore' : 'watch'}: ${changeSummary(changes)}\n\n${lines.join('\n')}\n${trailers.length ? `\n${trailers.join('\n')}\n` : ''}`;
}

function timeOfDay(time: string): string {
  const match = /T(\d\d:\d\d:\d\d)/.exec(time);
  return match ? `${match[1]}Z` : time;
}
