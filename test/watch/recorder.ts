// What the watch tests consume events with: the state they add up to (a list's objects come as upserts, and its
// synced event removes those of the collection it did not list), every event in order, and metric counters.
import { KubeClient, loadClusterConnection, qualifiedResourceName, type ApiResource } from '../../lib/kube/index.ts';
import type { KubeObject } from '../../lib/normalize/index.ts';
import type { Simulator } from '../../lib/sim/index.ts';
import { objectKey as listedKey, type WatchEvent, type WatchMetrics } from '../../lib/watch/index.ts';

export async function connect(sim: Simulator): Promise<KubeClient> {
  return new KubeClient(await loadClusterConnection({ kubeconfig: sim.kubeconfigPath }));
}

type Named = { metadata: { name?: string; namespace?: string } };
const objectKey = (object: Named) => `${object.metadata.namespace ?? ''}/${object.metadata.name}`;

/** A WatchEvent, or a reflector's event with its resource added (no sequence; an upsert says if it was listed). */
type Unsequenced<E> = E extends unknown ? Omit<E, 'sequence'> & { sequence?: number } : never;
type RecordedEvent = Unsequenced<WatchEvent> & { listed?: boolean };

export class StateRecorder {
  readonly events: RecordedEvent[] = [];
  /** qualified resource name → namespace/name → object */
  readonly state = new Map<string, Map<string, KubeObject>>();
  private waiters = new Set<() => void>();

  readonly onEvent = (event: RecordedEvent): void => {
    this.events.push(event);
    const name = qualifiedResourceName(event.resource);
    const objects = this.state.get(name) ?? new Map<string, KubeObject>();
    this.state.set(name, objects);
    if (event.type === 'upsert') objects.set(objectKey(event.object), event.object);
    else if (event.type === 'delete') objects.delete(objectKey(event.object));
    else if (event.type === 'synced') {
      const listed = new Set(event.keys);
      for (const [key, object] of objects) {
        const inCollection = !event.namespace || object.metadata.namespace === event.namespace;
        if (inCollection && !listed.has(listedKey(object))) objects.delete(key);
      }
    } else this.state.delete(name);
    for (const wake of this.waiters) wake();
  };

  /** Names (namespace/name) of the objects of one resource, sorted. */
  names(resource: string, namespace?: string): string[] {
    return [...(this.state.get(resource)?.values() ?? [])]
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .map(objectKey)
      .sort();
  }

  eventsOf(type: RecordedEvent['type'], resource?: string): RecordedEvent[] {
    return this.events.filter(
      (e) => e.type === type && (resource === undefined || qualifiedResourceName(e.resource) === resource),
    );
  }

  /** Resolves when `condition` holds, re-checked after every event and every 50 ms. */
  async waitFor(condition: () => boolean, what: string | (() => string), timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 50);
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        const waiters = this.waiters;
        waiters.add(done);
      });
    }
  }
}

export function objectNames(objects: Named[]): string[] {
  return objects.map(objectKey).sort();
}

export class MetricsRecorder implements WatchMetrics {
  readonly counts = new Map<string, number>();
  private add(key: string) {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  count(what: 'restart' | 'relist' | 'error' | `event ${string}`, resource: string): number {
    return this.counts.get(`${what} ${resource}`) ?? 0;
  }
  event(resource: string, type: string) {
    this.add(`event ${type} ${resource}`);
  }
  restart(resource: string) {
    this.add(`restart ${resource}`);
  }
  relist(resource: string) {
    this.add(`relist ${resource}`);
  }
  error(resource: string) {
    this.add(`error ${resource}`);
  }
}

export const configmaps: ApiResource = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  singularName: 'configmap',
  namespaced: true,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  shortNames: ['cm'],
  categories: [],
};

/** Holds a consumer on the event it is given while held: `pass` is the consumer's wait. */
export class ConsumerGate {
  private held?: Promise<void>;
  private open?: () => void;

  readonly pass = (): Promise<void> => this.held ?? Promise.resolve();

  hold(): void {
    this.held = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.held = undefined;
    this.open?.();
  }
}
