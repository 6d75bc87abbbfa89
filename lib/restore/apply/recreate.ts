import { failureMessage } from '../failures.ts';
import { waitGone } from '../readiness.ts';
import type { PlannedObject } from '../types.ts';
import type { ApplyContext } from './context.ts';

/** --recreate: an update that hit an immutable field becomes a deletion, a wait until the object is gone, and a create. */
export async function recreate(context: ApplyContext, object: PlannedObject): Promise<void> {
  try {
    await context.delete(object);
    if (!context.dryRun) {
      await waitGone(
        context.client,
        { resource: object.internal.resource!, namespace: object.namespace, name: object.name, ref: object.ref },
        context.wait,
      );
      await context.create(object);
    }
    context.finish(object, 'updated', {
      message: `${object.ref}: deleted and created again (--recreate), an immutable field differed.`,
    });
  } catch (error) {
    context.finish(object, 'failed', { message: failureMessage(object.ref, error) });
  }
}
