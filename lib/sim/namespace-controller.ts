// The namespace controller: a terminating namespace is emptied (objects with finalizers are deleted the way a
// DELETE request does, and waited for), then removed once nothing in it is left.
import type { ResourceRegistry } from './registry.ts';
import { bucketOf, keyOf, type ObjectStore } from './store.ts';
import type { KubeObject, ResourceDef } from './types.ts';

export class NamespaceController {
  /** `remove` deletes one object the way a DELETE request would (it gets a deletionTimestamp, finalizers run). */
  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
    private readonly remove: (def: ResourceDef, namespace: string, name: string) => void,
  ) {}

  /** After an object is gone: the namespace it was in, if terminating, may now be finished. */
  objectDeleted(deleted: KubeObject): void {
    const namespace = deleted.metadata.namespace as string | undefined;
    if (
      namespace &&
      this.store.get(bucketOf('', 'namespaces'), keyOf(undefined, namespace))?.metadata.deletionTimestamp
    )
      this.finish(namespace);
  }

  /** Deletes everything in a terminating namespace, then the namespace itself once nothing is left. */
  finish(namespace: string): void {
    const nsBucket = bucketOf('', 'namespaces');
    const nsKey = keyOf(undefined, namespace);
    const ns = this.store.get(nsBucket, nsKey);
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const bucket of this.store.bucketNames()) {
      const def = this.registry.preferredOfBucket(bucket);
      if (!def?.namespaced) continue;
      for (const [key, object] of this.store.entries(bucket)) {
        if (!key.startsWith(`${namespace}/`)) continue;
        if ((object.metadata.finalizers as string[] | undefined)?.length) {
          remaining++;
          if (!object.metadata.deletionTimestamp) this.remove(def, namespace, String(object.metadata.name));
          continue;
        }
        this.store.remove(bucket, key, object);
      }
    }
    if (remaining > 0 || ((ns.metadata.finalizers as string[] | undefined)?.length ?? 0) > 0) return;
    this.store.remove(nsBucket, nsKey, ns);
  }
}
