// The simulator's etcd: objects keyed by group/resource and namespace/name, one global revision counter,
// and a bounded history of changes that watches replay and paged lists read consistent snapshots from.
import { seal } from './encoding.ts';
import type { KubeObject } from './types.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  revision: number;
  type: EventType;
  bucket: string;
  key: string;
  object: KubeObject; // for DELETED: the object as it was deleted, carrying the deletion's revision
  previous?: KubeObject;
}

/** A bucket's objects at one revision, with their keys in order (namespace, then name), as etcd returns them. */
export interface BucketView {
  keys: readonly string[];
  objects: ReadonlyMap<string, KubeObject>;
}

export function bucketOf(group: string, resource: string): string {
  return `${group}/${resource}`;
}

export function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export class ObjectStore {
  revision = 0;
  /** Watches from, and list continuations of, revisions older than this are expired (410). */
  compactedRevision = 0;
  private buckets = new Map<string, Map<string, KubeObject>>();
  private sortedKeys = new Map<string, string[]>();
  private history: StoredEvent[] = [];
  private listeners = new Set<(event: StoredEvent) => void>();
  readonly historySize: number;

  constructor(historySize: number) {
    this.historySize = historySize;
  }

  nextRevision(): number {
    return ++this.revision;
  }

  get(bucket: string, key: string): KubeObject | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  /** The bucket now. */
  view(bucket: string): BucketView {
    const objects = this.buckets.get(bucket) ?? new Map<string, KubeObject>();
    let keys = this.sortedKeys.get(bucket);
    if (!keys) {
      keys = [...objects.keys()].sort();
      this.sortedKeys.set(bucket, keys);
    }
    return { keys, objects };
  }

  /** The bucket as it was at `revision`, rebuilt by undoing later history; undefined when that history is gone. */
  viewAt(bucket: string, revision: number): BucketView | undefined {
    if (revision < this.compactedRevision) return undefined;
    const later: StoredEvent[] = [];
    for (let i = this.history.length - 1; i >= 0 && this.history[i].revision > revision; i--) {
      if (this.history[i].bucket === bucket) later.push(this.history[i]);
    }
    if (later.length === 0) return this.view(bucket);
    const objects = new Map(this.view(bucket).objects);
    for (const event of later) {
      if (event.previous) objects.set(event.key, event.previous);
      else objects.delete(event.key);
    }
    return { keys: [...objects.keys()].sort(), objects };
  }

  /** Objects of a bucket in key order. */
  entries(bucket: string): Array<[string, KubeObject]> {
    const { keys, objects } = this.view(bucket);
    return keys.map((k) => [k, objects.get(k)!]);
  }

  bucketNames(): string[] {
    return [...this.buckets.keys()];
  }

  /** Removes an object: a DELETED event of it at the next revision, which is its last resourceVersion. Returns it. */
  remove(bucket: string, key: string, object: KubeObject): KubeObject {
    const revision = this.nextRevision();
    const deleted = { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
    this.commit('DELETED', bucket, key, deleted, revision);
    return deleted;
  }

  /**
   * Stores (or for DELETED removes) an object whose metadata.resourceVersion is already `revision`. The object is
   * sealed (encoding.ts): its JSON is kept with it, so nothing may change it from here on; only its managedFields
   * are frozen, the rest is frozen when it leaves the simulator.
   */
  commit(type: EventType, bucket: string, key: string, object: KubeObject, revision: number): StoredEvent {
    seal(object);
    let objects = this.buckets.get(bucket);
    if (!objects) {
      objects = new Map();
      this.buckets.set(bucket, objects);
    }
    const previous = objects.get(key);
    if (type === 'DELETED') objects.delete(key);
    else objects.set(key, object);
    if (type !== 'MODIFIED') this.sortedKeys.delete(bucket);
    const event: StoredEvent = { revision, type, bucket, key, object, previous };
    this.remember(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  private remember(event: StoredEvent): void {
    this.history.push(event);
    if (this.history.length > this.historySize * 2) this.trimTo(this.historySize);
  }

  private trimTo(size: number): void {
    const dropped = this.history.length - size;
    if (dropped <= 0) return;
    this.compactedRevision = this.history[dropped - 1].revision;
    this.history = this.history.slice(dropped);
  }

  /** The events after `revision`, oldest first; undefined when some of them are no longer kept. */
  eventsSince(revision: number): StoredEvent[] | undefined {
    if (this.history.length > this.historySize) this.trimTo(this.historySize);
    if (revision < this.compactedRevision) return undefined;
    let start = this.history.length;
    while (start > 0 && this.history[start - 1].revision > revision) start--;
    return this.history.slice(start);
  }

  /** The oldest revision a watch can still start from. */
  oldestWatchable(): number {
    return this.compactedRevision + 1;
  }

  /** Forgets all history, as an etcd compaction does: older watches and continue tokens expire. */
  compact(): void {
    this.compactedRevision = this.revision;
    this.history = [];
  }

  subscribe(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Empties everything (a restart that loses state); the revision counter is the caller's choice. */
  clear(): void {
    this.buckets.clear();
    this.sortedKeys.clear();
    this.history = [];
    this.compactedRevision = this.revision;
  }
}
