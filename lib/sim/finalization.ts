// The two steps of deleting an object that finalizers hold (a namespace is always held, by the namespace
// controller): the DELETE marks it, and the update that takes its last finalizer off removes it.
import type { KubeObject } from './types.ts';

/** The object a DELETE leaves in place: deleted from `time` on, without grace; a namespace is Terminating. */
export function markedForDeletion(current: KubeObject, time: string, isNamespace: boolean): KubeObject {
  const next = structuredClone(current);
  next.metadata.deletionTimestamp = time;
  next.metadata.deletionGracePeriodSeconds = 0;
  if (isNamespace) next.status = { phase: 'Terminating' };
  return next;
}

/** The object with `finalizer` taken off its finalizers (and no finalizers field once none is left). */
export function withoutFinalizer(object: KubeObject, finalizer: string): KubeObject {
  const next = structuredClone(object);
  next.metadata.finalizers = (object.metadata.finalizers as string[]).filter((f) => f !== finalizer);
  if ((next.metadata.finalizers as string[]).length === 0) delete next.metadata.finalizers;
  return next;
}
