// PersistentVolumeClaims and PersistentVolumes: binding state and defaults.
import { deleteDefaults, deleteKeys, mapAt, type JsonMap } from '../fields.ts';

function isBindingAnnotation(key: string): boolean {
  return key.startsWith('pv.kubernetes.io/') || /^volume\.(beta\.)?kubernetes\.io\//.test(key);
}

function withoutFinalizer(metadata: JsonMap | undefined, finalizer: string): void {
  if (metadata && Array.isArray(metadata.finalizers))
    metadata.finalizers = metadata.finalizers.filter((name) => name !== finalizer);
}

export function stripPersistentVolumeClaim(claim: JsonMap): void {
  const metadata = mapAt(claim, 'metadata');
  const annotations = mapAt(metadata, 'annotations');
  deleteKeys(annotations, Object.keys(annotations ?? {}).filter(isBindingAnnotation));
  withoutFinalizer(metadata, 'kubernetes.io/pvc-protection');
  const spec = mapAt(claim, 'spec');
  delete spec?.volumeName;
  deleteDefaults(spec, { volumeMode: 'Filesystem' });
}

export function stripPersistentVolume(volume: JsonMap): void {
  const metadata = mapAt(volume, 'metadata');
  deleteKeys(mapAt(metadata, 'annotations'), ['pv.kubernetes.io/bound-by-controller']);
  withoutFinalizer(metadata, 'kubernetes.io/pv-protection');
  const spec = mapAt(volume, 'spec');
  deleteKeys(mapAt(spec, 'claimRef'), ['uid', 'resourceVersion']);
  deleteDefaults(spec, { persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
  deleteDefaults(mapAt(spec, 'hostPath'), { type: '' });
}
