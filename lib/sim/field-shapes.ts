// How the API server's schema treats each list and map, as far as field ownership and merging care.
// One table, used by managed fields (FieldsV1 keys), server-side apply (merge by key) and strategic
// merge patch (merge key). A field is located by its chain: the field names from the object's root
// with list positions left out, e.g. ['spec', 'template', 'spec', 'containers', 'ports'].

export type ListShape =
  /** Items are maps identified by these keys; `keyDefaults` fill key fields the item omits. */
  | { type: 'map'; keys: string[]; keyDefaults?: Record<string, unknown>; atomicItems?: boolean }
  /** Items are scalars identified by their value. */
  | { type: 'set' }
  /** The list is one value, replaced as a whole. */
  | { type: 'atomic' };

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
const TCP = { protocol: 'TCP' };
const CONTAINER_PORTS: ListShape = { type: 'map', keys: ['containerPort', 'protocol'], keyDefaults: TCP };
const SERVICE_PORTS: ListShape = { type: 'map', keys: ['port', 'protocol'], keyDefaults: TCP };
const ATOMIC: ListShape = { type: 'atomic' };
const SET: ListShape = { type: 'set' };

const KEYED_LISTS: Record<string, ListShape> = {
  containers: { type: 'map', keys: ['name'] },
  initContainers: { type: 'map', keys: ['name'] },
  ephemeralContainers: { type: 'map', keys: ['name'] },
  env: { type: 'map', keys: ['name'] },
  volumes: { type: 'map', keys: ['name'] },
  volumeMounts: { type: 'map', keys: ['mountPath'] },
  volumeDevices: { type: 'map', keys: ['devicePath'] },
  imagePullSecrets: { type: 'map', keys: ['name'] },
  resourceClaims: { type: 'map', keys: ['name'] },
  schedulingGates: { type: 'map', keys: ['name'] },
  hostAliases: { type: 'map', keys: ['ip'] },
  topologySpreadConstraints: { type: 'map', keys: ['topologyKey', 'whenUnsatisfiable'] },
  conditions: { type: 'map', keys: ['type'] },
  ownerReferences: { type: 'map', keys: ['uid'], atomicItems: true },
};

// Maps the server replaces as a whole (label selectors, Service selector, role references).
const ATOMIC_MAPS = new Set([
  'selector',
  'podSelector',
  'namespaceSelector',
  'labelSelector',
  'roleRef',
  'nodeSelector',
]);

/** How the list at `chain` is merged and owned; lists the schema does not describe are atomic. */
export function listShape(chain: readonly string[]): ListShape {
  const field = chain[chain.length - 1];
  const parent = chain[chain.length - 2];
  if (field === 'ports') {
    if (CONTAINER_LISTS.has(parent)) return CONTAINER_PORTS;
    if (chain.length === 2 && parent === 'spec') return SERVICE_PORTS;
    return ATOMIC;
  }
  if (field === 'finalizers' && parent === 'metadata') return SET;
  return KEYED_LISTS[field] ?? ATOMIC;
}

/** Whether the map at `chain` is one value rather than a set of fields. */
export function isAtomicMap(chain: readonly string[]): boolean {
  return ATOMIC_MAPS.has(chain[chain.length - 1]);
}
