// What the apiextensions server does around a CustomResourceDefinition's own writes: a new one is established
// (its names accepted, in a status update by kube-apiserver), and a deleted one takes its custom objects with it.
import { establishedCrdStatus } from './bootstrap.ts';
import { recordWrite } from './managed-fields.ts';
import type { ResourceRegistry } from './registry.ts';
import { bucketOf, type ObjectStore } from './store.ts';
import type { KubeObject, ResourceDef } from './types.ts';

export function isCrd(def: ResourceDef): boolean {
  return def.group === 'apiextensions.k8s.io' && def.resource === 'customresourcedefinitions';
}

/** Gives a CRD being created the status, and the managedFields entry, of its names being accepted. */
export function establishCrd(def: ResourceDef, crd: KubeObject, time: string): void {
  const before = structuredClone(crd);
  crd.status = establishedCrdStatus(crd, time);
  recordWrite({
    def,
    previous: before,
    next: crd,
    manager: 'kube-apiserver',
    operation: 'Update',
    subresource: 'status',
    time,
  });
}

/** Removes every object of a CRD being deleted. */
export function dropCustomObjects(store: ObjectStore, registry: ResourceRegistry, crdName: string): void {
  for (const def of registry.crdResources(crdName).filter((d) => d.preferred)) {
    const bucket = bucketOf(def.group, def.resource);
    for (const [key, object] of store.entries(bucket)) store.remove(bucket, key, object);
  }
}
