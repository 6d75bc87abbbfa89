import { mapWithConcurrency } from '../concurrency/index.ts';
import { ApplyContext } from './apply/context.ts';
import { pruneObject } from './apply/prune.ts';
import { awaitUsable, needsWaitingFor } from './apply/usable.ts';
import { writeObject } from './apply/write.ts';
import type {
  ApplyOptions,
  ObjectResult,
  PlannedObject,
  RestoreCounts,
  RestoreOutcome,
  RestorePlan,
  RestoreResult,
} from './types.ts';

function countOutcomes(results: readonly ObjectResult[]): RestoreCounts {
  const counts: RestoreCounts = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0, notRestored: 0 };
  const field: Record<RestoreOutcome, keyof RestoreCounts> = {
    created: 'created',
    updated: 'updated',
    unchanged: 'unchanged',
    deleted: 'deleted',
    failed: 'failed',
    'not-restored': 'notRestored',
  };
  for (const result of results) counts[field[result.outcome]]++;
  return counts;
}

/** The steps of some objects, in order. */
function stepsOf(objects: readonly PlannedObject[], order: 'ascending' | 'descending'): number[] {
  return [...new Set(objects.map((o) => o.step))].sort((a, b) => (order === 'ascending' ? a - b : b - a));
}

/**
 * Applies a plan in dependency order (creates and updates step by step, each step with bounded
 * concurrency, waiting for CRDs and Namespaces to be usable; then deletions in reverse order). Every
 * object gets a result; a failure is reported with its object and the rest still applied. Each verb
 * is a file of apply/; this function only orders them.
 */
export async function applyRestore(plan: RestorePlan, options: ApplyOptions): Promise<RestoreResult> {
  const context = new ApplyContext(plan, options);
  const concurrency = options.concurrency ?? plan.options.concurrency;

  for (const object of plan.objects) {
    if (object.action === 'unchanged') context.finish(object, 'unchanged');
    if (object.action === 'blocked')
      context.finish(object, 'not-restored', { message: `${object.ref}: ${object.reason}` });
    if (object.action === 'invalid')
      context.finish(object, 'failed', { message: `${object.ref} (${object.path}): ${object.reason}` });
  }

  const writes = plan.objects.filter((o) => o.action === 'create' || o.action === 'update');
  for (const step of stepsOf(writes, 'ascending')) {
    const batch = writes.filter((o) => o.step === step);
    await mapWithConcurrency(batch, concurrency, (object) => writeObject(context, object));
    await mapWithConcurrency(batch.filter(needsWaitingFor), concurrency, (object) => awaitUsable(context, object));
  }

  const deletions = plan.objects.filter((o) => o.action === 'delete');
  for (const step of stepsOf(deletions, 'descending')) {
    await mapWithConcurrency(
      deletions.filter((o) => o.step === step),
      concurrency,
      (object) => pruneObject(context, object),
    );
  }

  const objects = plan.objects.map((o) => context.resultOf(o)!);
  return { revision: plan.revision, dryRun: options.dryRun, objects, counts: countOutcomes(objects) };
}
