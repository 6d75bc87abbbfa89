import { isConflict } from '../../kube/index.ts';
import type { KubeObject } from '../../normalize/index.ts';
import { decide } from '../compare.ts';
import { failureMessage, immutableField, mayBeConcurrent } from '../failures.ts';
import type { PlannedObject } from '../types.ts';
import type { ApplyContext } from './context.ts';

/** The object changed after it was planned: plan it once more against what is live now, and never write over a second change. */
export async function replan(
  context: ApplyContext,
  object: PlannedObject,
  current: KubeObject | undefined,
): Promise<void> {
  const { resource, desired } = object.internal;
  const decision = decide(
    desired!,
    current,
    resource!,
    context.plan.options.normalize,
    context.plan.options.neighbours,
  );
  const what =
    object.action === 'create'
      ? 'was created by someone else (or the cluster) during the restore'
      : 'changed during the restore';
  const note = { replanned: true, message: `${object.ref}: ${what}; planned again against its new version.` };
  if (decision.action === 'unchanged') return context.finish(object, 'unchanged', note);
  if (decision.action === 'blocked')
    return context.finish(object, 'not-restored', { replanned: true, message: `${object.ref}: ${decision.reason}` });
  try {
    if (decision.action === 'create') await context.create(object);
    else await context.patch(object, decision.livePatch);
    context.finish(object, decision.action === 'create' ? 'created' : 'updated', note);
  } catch (error) {
    const message =
      mayBeConcurrent(error) && (isConflict(error) || immutableField(error) === undefined)
        ? `${object.ref}: changed again while it was being restored; left as it is live (conflict).`
        : failureMessage(object.ref, error);
    context.finish(object, 'failed', { replanned: true, message });
  }
}
