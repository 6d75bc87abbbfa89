// What `kubesnap restore` prints: the plan (text, or JSON with -o json), what a client dry run adds, and the outcome
// of the writes.
import { formatFieldChange } from '../../lib/json/field-changes.ts';
import type { PlannedObject, RestorePlan, RestoreResult } from '../../lib/restore/index.ts';
// summary.ts, not the index: formatting a plan does not need the restorer.
import { planCounts } from '../../lib/restore/summary.ts';

const marks: Record<PlannedObject['action'], string> = {
  create: '+',
  update: '~',
  delete: '-',
  unchanged: '=',
  blocked: '!',
  invalid: '✗',
};

function objectLines(object: PlannedObject): string[] {
  const warnings = object.warnings.map((warning) => `        warning: ${warning}`);
  if (object.action === 'blocked' || object.action === 'invalid') {
    return [
      `  ${marks[object.action]} ${object.ref}${object.path ? ` (${object.path})` : ''}: ${object.reason}`,
      ...warnings,
    ];
  }
  return [
    `  ${marks[object.action]} ${object.action.padEnd(6)} ${object.ref}`,
    ...object.fields.map((change) => `        ${formatFieldChange(change)}`),
    ...warnings,
  ];
}

/** Objects outside every namespace other than Namespaces: shared by the whole cluster, so listed apart (a refused file stays where its path put it). */
function isClusterWide(object: PlannedObject): boolean {
  return (
    object.namespace === undefined &&
    !(object.group === '' && object.kind === 'Namespace') &&
    object.action !== 'invalid'
  );
}

export function planText(plan: RestorePlan, target: string): string {
  const lines = [`Restore plan: ${plan.revision.label} (${plan.revision.commit.slice(0, 7)}) → ${target}`];
  const shown = plan.objects.filter((o) => o.action !== 'unchanged' || o.warnings.length > 0);
  lines.push(...shown.filter((o) => !isClusterWide(o)).flatMap(objectLines));
  const clusterWide = shown.filter(isClusterWide);
  if (clusterWide.length > 0)
    lines.push('Cluster-scoped objects (shared by every namespace):', ...clusterWide.flatMap(objectLines));
  const counts = planCounts(plan);
  const problems = [
    counts.blocked ? `, ${counts.blocked} not restorable` : '',
    counts.invalid ? `, ${counts.invalid} invalid` : '',
  ].join('');
  lines.push(
    `Plan: ${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete, ${counts.unchanged} unchanged${problems}.`,
  );
  return lines.join('\n') + '\n';
}

function planJson(plan: RestorePlan) {
  return plan.objects.map((o) => ({
    ref: o.ref,
    path: o.path || undefined,
    action: o.action,
    reason: o.reason,
    fields: o.fields.length ? o.fields.map(formatFieldChange) : undefined,
    warnings: o.warnings.length ? o.warnings : undefined,
  }));
}

/** What a client dry run prints after the plan: the plan as JSON with -o json, else that nothing was sent. */
export function clientDryRunText(plan: RestorePlan, json: boolean): string {
  if (json) return JSON.stringify({ revision: plan.revision, dryRun: 'client', plan: planJson(plan) }, null, 2) + '\n';
  const { blocked, invalid } = planCounts(plan);
  if (blocked + invalid > 0)
    return `Dry run: nothing was sent to the cluster; ${blocked + invalid} objects cannot be restored (marked ! and ✗ above).\n`;
  return 'Dry run: nothing was sent to the cluster.\n';
}

/** What a server dry run sent and what it could not: never "validated" for a write the server did not see. */
function serverDryRunNote(result: RestoreResult): string {
  const writes = result.objects.filter((o) => o.action === 'create' || o.action === 'update' || o.action === 'delete');
  const unsent = writes.filter((o) => o.unvalidated).length;
  const sent = writes.length - unsent;
  if (unsent === 0) return ` (server dry run, nothing changed: the server validated all ${sent} writes)`;
  return ` (server dry run, nothing changed: the server validated ${sent} of ${writes.length} writes; ${unsent} were not sent, as they need objects this restore creates)`;
}

function summaryLine(result: RestoreResult): string {
  const { counts } = result;
  const notRestored = counts.notRestored ? `, not restored ${counts.notRestored}` : '';
  const dryRun = result.dryRun === 'server' ? serverDryRunNote(result) : '';
  return `restore: created ${counts.created}, updated ${counts.updated}, unchanged ${counts.unchanged}, deleted ${counts.deleted}, failed ${counts.failed}${notRestored}${dryRun}\n`;
}

/** The outcome of the writes: with -o json the plan and every object's result, else each message and a summary line. */
export function printResult(
  plan: RestorePlan,
  result: RestoreResult,
  restorer: string | undefined,
  json: boolean,
): void {
  if (json) {
    process.stdout.write(
      JSON.stringify(
        {
          revision: result.revision,
          dryRun: result.dryRun,
          restoredBy: restorer,
          plan: planJson(plan),
          results: result.objects,
          counts: result.counts,
        },
        null,
        2,
      ) + '\n',
    );
    return;
  }
  for (const object of result.objects) {
    if (object.message)
      process.stderr.write(
        `${object.outcome === 'failed' || object.outcome === 'not-restored' ? 'error' : 'note'}: ${object.message}\n`,
      );
  }
  process.stdout.write(summaryLine(result));
}
