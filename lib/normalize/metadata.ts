// What every object loses: status, and the metadata the API server writes at run time.
import { copyJson, copyWithout, setField } from '../json/index.ts';
import { deleteIfEmpty, deleteKeys, isMap, mapAt, type JsonMap } from './fields.ts';

const serverMetadata: ReadonlySet<string> = new Set([
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'selfLink',
  'managedFields',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
]);

const serverAnnotations = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'control-plane.alpha.kubernetes.io/leader',
];

function copyUserMetadata(metadata: JsonMap): JsonMap {
  const copy = copyWithout(metadata, serverMetadata);
  deleteKeys(mapAt(copy, 'annotations'), serverAnnotations);
  return copy;
}

/**
 * Copies `object` into `target` (an object to edit) without what the server writes: status, and server
 * metadata and annotations. Copying without them is cheaper than deleting them from a copy, and managedFields
 * are often half of a raw object.
 */
export function copyWithoutServerState(object: JsonMap, target: JsonMap): JsonMap {
  for (const key in object) {
    if (key === 'status') continue;
    const value = object[key];
    setField(target, key, key === 'metadata' && isMap(value) ? copyUserMetadata(value) : copyJson(value));
  }
  return target;
}

/** Runs last: rules may have emptied these maps. */
export function dropEmptyMetadataMaps(object: JsonMap): void {
  const metadata = mapAt(object, 'metadata');
  deleteIfEmpty(metadata, 'labels');
  deleteIfEmpty(metadata, 'annotations');
  deleteIfEmpty(metadata, 'finalizers');
}
