import { deleteIfEmpty, deleteIfEqual, deleteKeys, mapAt, type JsonMap } from '../fields.ts';

export function stripNamespace(namespace: JsonMap): void {
  deleteKeys(mapAt(mapAt(namespace, 'metadata'), 'labels'), ['kubernetes.io/metadata.name']);
  const spec = mapAt(namespace, 'spec');
  deleteIfEqual(spec, 'finalizers', ['kubernetes']);
  deleteIfEmpty(namespace, 'spec');
}
