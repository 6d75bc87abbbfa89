// What every object loses: status, and the metadata the API server writes at run time.
import { deleteIfEmpty, deleteKeys, mapAt, type JsonMap } from './fields.ts';

const serverMetadata = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'selfLink',
  'managedFields',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

const serverAnnotations = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'control-plane.alpha.kubernetes.io/leader',
];

export function stripServerMetadata(object: JsonMap): void {
  delete object.status;
  const metadata = mapAt(object, 'metadata');
  deleteKeys(metadata, serverMetadata);
  deleteKeys(mapAt(metadata, 'annotations'), serverAnnotations);
}

/** Runs last: rules may have emptied these maps. */
export function dropEmptyMetadataMaps(object: JsonMap): void {
  const metadata = mapAt(object, 'metadata');
  deleteIfEmpty(metadata, 'labels');
  deleteIfEmpty(metadata, 'annotations');
  deleteIfEmpty(metadata, 'finalizers');
}
