import { waitActive, waitEstablished } from '../readiness.ts';
import type { PlannedObject } from '../types.ts';
import type { ApplyContext } from './context.ts';
import { isCrd, isNamespace } from './kinds.ts';

/** Whether the next step waits for this object: a CRD until it is Established, a Namespace until it is Active. */
export const needsWaitingFor = (object: PlannedObject) => isCrd(object) || isNamespace(object);

/** Waits until a CRD or Namespace this restore wrote can be used; one that never gets there is a failure. */
export async function awaitUsable(context: ApplyContext, object: PlannedObject): Promise<void> {
  const result = context.resultOf(object);
  if (context.dryRun || !result || (result.outcome !== 'created' && result.outcome !== 'updated')) return;
  const target = { resource: object.internal.resource!, name: object.name, ref: object.ref };
  try {
    if (isCrd(object)) await waitEstablished(context.client, target, context.wait);
    if (isNamespace(object)) await waitActive(context.client, target, context.wait);
  } catch (error) {
    context.finish(object, 'failed', { message: error instanceof Error ? error.message : String(error) });
  }
}
