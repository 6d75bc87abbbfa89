// A write that changes nothing is not stored: the server answers with the object as it is, at its
// resourceVersion, and no watch event is sent.
import { sameJson } from '../json/index.ts';
import type { KubeObject, ManagedFieldsEntry } from './types.ts';

/**
 * Whether a write leaves `current` as it is: `next` is the same but for what every write changes anyway
 * (metadata.resourceVersion, the time of each managedFields entry). Key order is not meaning.
 */
export function isNoOpWrite(next: KubeObject, current: KubeObject): boolean {
  return (
    sameJson(
      { ...next.metadata, resourceVersion: undefined, managedFields: undefined },
      { ...current.metadata, resourceVersion: undefined, managedFields: undefined },
    ) &&
    sameJson({ ...next, metadata: undefined }, { ...current, metadata: undefined }) &&
    sameJson(withoutTimes(next.metadata.managedFields), withoutTimes(current.metadata.managedFields))
  );
}

function withoutTimes(entries: ManagedFieldsEntry[] | undefined): unknown[] | undefined {
  return entries?.map((entry) => ({ ...entry, time: undefined }));
}
