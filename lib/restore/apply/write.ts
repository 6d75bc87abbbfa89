import { failureMessage, immutableField, mayBeConcurrent } from '../failures.ts';
import type { PlannedObject } from '../types.ts';
import type { ApplyContext } from './context.ts';
import { recreate } from './recreate.ts';
import { replan } from './replan.ts';

/**
 * Creates or updates one planned object. A write that failed because the object changed since it was planned is
 * planned again; one that hit an immutable field is deleted and created again with --recreate.
 */
export async function writeObject(context: ApplyContext, object: PlannedObject): Promise<void> {
  const needed = context.createdDependency(object);
  if (needed) {
    context.finish(object, object.action === 'create' ? 'created' : 'updated', {
      unvalidated: true,
      message: `${object.ref}: not validated by the server: it needs ${needed}, which this restore creates.`,
    });
    return;
  }
  try {
    if (object.action === 'create') await context.create(object);
    else await context.patch(object, object.livePatch);
    context.finish(object, object.action === 'create' ? 'created' : 'updated');
  } catch (error) {
    if (mayBeConcurrent(error)) {
      const current = await context.readCurrent(object);
      const live = object.internal.live;
      const changed =
        object.action === 'create'
          ? current !== undefined
          : current?.metadata.resourceVersion !== live?.metadata.resourceVersion;
      if (changed) return replan(context, object, current);
    }
    if (immutableField(error) !== undefined && context.recreate) return recreate(context, object);
    context.finish(object, 'failed', { message: failureMessage(object.ref, error) });
  }
}
