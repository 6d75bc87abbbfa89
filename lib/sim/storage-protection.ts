// kube-controller-manager's PVC and PV protection controllers: a claim being deleted keeps
// `kubernetes.io/pvc-protection` while a pod that has not finished uses it, a volume being deleted keeps
// `kubernetes.io/pv-protection` while it is bound to a claim that still exists; then the finalizer is removed
// and the deletion completes (as a namespace deletion waits for it to).
import { bucketOf, keyOf, type ObjectStore, type StoredEvent } from './store.ts';
import type { KubeObject } from './types.ts';

export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION = 'kubernetes.io/pv-protection';

const PODS = bucketOf('', 'pods');
const CLAIMS = bucketOf('', 'persistentvolumeclaims');
const VOLUMES = bucketOf('', 'persistentvolumes');
const FINISHED_PHASES = new Set(['Succeeded', 'Failed']);

type Volume = { name?: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown };

/** The claims a pod uses, as namespace/name keys: its claim volumes and the claims made for its ephemeral volumes. */
function claimsOf(pod: KubeObject): string[] {
  const volumes = (pod.spec as { volumes?: Volume[] } | undefined)?.volumes ?? [];
  const namespace = pod.metadata.namespace as string;
  return volumes.flatMap((v) => {
    if (v.persistentVolumeClaim?.claimName) return [keyOf(namespace, v.persistentVolumeClaim.claimName)];
    if (v.ephemeral !== undefined) return [keyOf(namespace, `${pod.metadata.name}-${v.name}`)];
    return [];
  });
}

function isFinished(pod: KubeObject): boolean {
  return FINISHED_PHASES.has(String((pod.status as { phase?: string } | undefined)?.phase));
}

function isBeingDeletedWith(object: KubeObject | undefined, finalizer: string): object is KubeObject {
  return Boolean(
    object?.metadata.deletionTimestamp && (object.metadata.finalizers as string[] | undefined)?.includes(finalizer),
  );
}

export class StorageProtectionController {
  /** `removeFinalizer` takes one finalizer off the stored object at (bucket, key) as an update would. */
  constructor(
    private readonly store: ObjectStore,
    private readonly removeFinalizer: (bucket: string, key: string, finalizer: string) => void,
  ) {
    store.subscribe((event) => this.observe(event));
  }

  private observe(event: StoredEvent): void {
    if (event.bucket === CLAIMS) {
      if (event.type === 'DELETED') setImmediate(() => this.checkVolumes());
      else setImmediate(() => this.checkClaim(event.key));
    } else if (event.bucket === VOLUMES && event.type !== 'DELETED') {
      setImmediate(() => this.checkVolume(event.key));
    } else if (event.bucket === PODS && (event.type === 'DELETED' || isFinished(event.object))) {
      const claims = claimsOf(event.object);
      if (claims.length) setImmediate(() => claims.forEach((key) => this.checkClaim(key)));
    }
  }

  private checkClaim(key: string): void {
    if (!isBeingDeletedWith(this.store.get(CLAIMS, key), PVC_PROTECTION)) return;
    const inUse = this.store.entries(PODS).some(([, pod]) => !isFinished(pod) && claimsOf(pod).includes(key));
    if (!inUse) this.removeFinalizer(CLAIMS, key, PVC_PROTECTION);
  }

  private checkVolumes(): void {
    for (const [key, volume] of this.store.entries(VOLUMES))
      if (volume.metadata.deletionTimestamp) this.checkVolume(key);
  }

  private checkVolume(key: string): void {
    const volume = this.store.get(VOLUMES, key);
    if (!isBeingDeletedWith(volume, PV_PROTECTION)) return;
    const phase = (volume.status as { phase?: string } | undefined)?.phase;
    const claim = (volume.spec as { claimRef?: { namespace?: string; name?: string } } | undefined)?.claimRef;
    const bound =
      phase === 'Bound' &&
      claim?.name !== undefined &&
      this.store.get(CLAIMS, keyOf(claim.namespace, claim.name)) !== undefined;
    if (!bound) this.removeFinalizer(VOLUMES, key, PV_PROTECTION);
  }
}
