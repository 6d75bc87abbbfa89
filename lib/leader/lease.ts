// The coordination.k8s.io/v1 Lease as a leader election record, read and written with optimistic concurrency.
import {
  ApiError,
  createObject,
  getObject,
  isNotFound,
  jsonPatchObject,
  type ApiResource,
  type KubeClient,
} from '../kube/index.ts';

export const leaseResource: ApiResource = {
  group: 'coordination.k8s.io',
  version: 'v1',
  resource: 'leases',
  kind: 'Lease',
  singularName: 'lease',
  namespaced: true,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  shortNames: [],
  categories: [],
};

export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

export interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

/** metav1.MicroTime as the API server writes it: RFC 3339 with six fractional digits. */
export function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export async function readLease(
  client: KubeClient,
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<Lease | undefined> {
  try {
    return await getObject<Lease>(client, leaseResource, namespace, name, signal);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Creates the Lease; undefined when another candidate created it first. */
export async function createLease(
  client: KubeClient,
  namespace: string,
  name: string,
  spec: LeaseSpec,
  signal?: AbortSignal,
): Promise<Lease | undefined> {
  try {
    return await createObject<Lease>(
      client,
      leaseResource,
      { metadata: { name, namespace }, spec: { ...spec } },
      { signal },
    );
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) return undefined;
    throw error;
  }
}

/** Replaces the spec only if the Lease is still at `resourceVersion`; undefined when someone wrote it meanwhile. */
export async function replaceLeaseSpec(
  client: KubeClient,
  lease: Lease,
  spec: LeaseSpec,
  signal?: AbortSignal,
): Promise<Lease | undefined> {
  try {
    return await jsonPatchObject<Lease>(
      client,
      leaseResource,
      lease.metadata.namespace,
      lease.metadata.name,
      [
        { op: 'test', path: '/metadata/resourceVersion', value: lease.metadata.resourceVersion },
        { op: lease.spec ? 'replace' : 'add', path: '/spec', value: spec },
      ],
      { signal },
    );
  } catch (error) {
    if (error instanceof ApiError && (error.status === 409 || error.status === 422 || error.status === 404))
      return undefined;
    throw error;
  }
}
