import { isNotFound } from '../../kube/index.ts';
import { failureMessage } from '../failures.ts';
import type { PlannedObject } from '../types.ts';
import type { ApplyContext } from './context.ts';

/** Deletes an object --prune planned to delete; one already gone counts as deleted. */
export async function pruneObject(context: ApplyContext, object: PlannedObject): Promise<void> {
  try {
    await context.delete(object);
    context.finish(object, 'deleted');
  } catch (error) {
    if (isNotFound(error)) context.finish(object, 'deleted');
    else context.finish(object, 'failed', { message: failureMessage(object.ref, error) });
  }
}
