// The garbage collector's background propagation: when an owner is deleted, dependents none of whose
// owners still exist are deleted too (ReplicaSets of a Deployment, Jobs of a CronJob, ...).
import type { ObjectStore, StoredEvent } from './store.ts';
import type { KubeObject } from './types.ts';

interface Location {
  bucket: string;
  key: string;
}

function ownerUids(object: KubeObject): string[] {
  const refs = object.metadata.ownerReferences as Array<{ uid?: string }> | undefined;
  return (refs ?? []).map((r) => String(r.uid ?? '')).filter((uid) => uid !== '');
}

export class GarbageCollector {
  private readonly live = new Map<string, Location>(); // uid -> where the object is
  private readonly dependents = new Map<string, Set<string>>(); // owner uid -> dependent uids
  private readonly orphaned = new Set<string>(); // owner uids deleted with propagationPolicy=Orphan
  private readonly store: ObjectStore;
  private readonly remove: (location: Location) => void;

  /** `remove` deletes one dependent the way a DELETE request would (finalizers honoured). */
  constructor(store: ObjectStore, remove: (location: Location) => void) {
    this.store = store;
    this.remove = remove;
    store.subscribe((event) => this.observe(event));
  }

  /** The next deletion of `uid` leaves its dependents alone. */
  orphanDependentsOf(uid: string): void {
    this.orphaned.add(uid);
  }

  private observe(event: StoredEvent): void {
    const uid = String(event.object.metadata.uid ?? '');
    if (!uid) return;
    if (event.type !== 'DELETED') {
      const known = this.live.get(uid);
      if (known?.bucket !== event.bucket || known.key !== event.key)
        this.live.set(uid, { bucket: event.bucket, key: event.key });
      for (const owner of ownerUids(event.object)) {
        let set = this.dependents.get(owner);
        if (!set) this.dependents.set(owner, (set = new Set()));
        set.add(uid);
      }
      return;
    }
    this.live.delete(uid);
    for (const owner of ownerUids(event.object)) this.dependents.get(owner)?.delete(uid);
    const dependents = this.dependents.get(uid);
    this.dependents.delete(uid);
    if (this.orphaned.delete(uid) || !dependents?.size) return;
    setImmediate(() => this.collect([...dependents]));
  }

  private collect(uids: string[]): void {
    for (const uid of uids) {
      const location = this.live.get(uid);
      const object = location && this.store.get(location.bucket, location.key);
      if (!location || !object || object.metadata.deletionTimestamp) continue;
      if (ownerUids(object).some((owner) => this.live.has(owner))) continue;
      this.remove(location);
    }
  }
}
