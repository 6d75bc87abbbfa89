// The meta.k8s.io/v1 Table form kubectl asks for (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`).
import type { KubeObject, ResourceDef } from './types.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
  cell: (object: KubeObject, now: Date) => unknown;
}

const NAME_COLUMN: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
  cell: (o) => o.metadata.name,
};

const AGE_COLUMN: Column = {
  name: 'Age',
  type: 'string',
  format: '',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  priority: 0,
  cell: (o, now) => age(String(o.metadata.creationTimestamp ?? ''), now),
};

function column(name: string, type: string, cell: Column['cell'], description = ''): Column {
  return { name, type, format: '', description, priority: 0, cell };
}

const field = (o: KubeObject, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
const count = (v: unknown): number => (v && typeof v === 'object' ? Object.keys(v).length : 0);

// The extra columns the real server prints for the kinds people look at most; the rest get Name and Age.
const KIND_COLUMNS: Record<string, Column[]> = {
  '/namespaces': [column('Status', 'string', (o) => field(o, 'status', 'phase') ?? '')],
  '/configmaps': [column('Data', 'integer', (o) => count(o.data) + count(o.binaryData))],
  '/secrets': [column('Type', 'string', (o) => o.type ?? 'Opaque'), column('Data', 'integer', (o) => count(o.data))],
  '/services': [
    column('Type', 'string', (o) => field(o, 'spec', 'type') ?? 'ClusterIP'),
    column('Cluster-IP', 'string', (o) => field(o, 'spec', 'clusterIP') ?? '<none>'),
  ],
  'apps/deployments': [
    column(
      'Ready',
      'string',
      (o) => `${field(o, 'status', 'readyReplicas') ?? 0}/${field(o, 'spec', 'replicas') ?? 1}`,
    ),
    column('Up-to-date', 'integer', (o) => field(o, 'status', 'updatedReplicas') ?? 0),
    column('Available', 'integer', (o) => field(o, 'status', 'availableReplicas') ?? 0),
  ],
  'apps/statefulsets': [
    column(
      'Ready',
      'string',
      (o) => `${field(o, 'status', 'readyReplicas') ?? 0}/${field(o, 'spec', 'replicas') ?? 1}`,
    ),
  ],
};

function columnsFor(def: ResourceDef): Column[] {
  const extra = KIND_COLUMNS[`${def.group}/${def.resource}`] ?? [];
  return [NAME_COLUMN, ...extra, AGE_COLUMN];
}

/** kubectl's HumanDuration: 45s, 3m20s, 12m, 5h30m, 3d4h, 45d, 2y. */
export function age(creationTimestamp: string, now: Date): string {
  const created = Date.parse(creationTimestamp);
  if (Number.isNaN(created)) return '<unknown>';
  const seconds = Math.floor((now.getTime() - created) / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (years < 8) return `${years}y${Math.floor(hours / 24) % 365}d`;
  return `${years}y`;
}

function rowObject(served: KubeObject, include: IncludeObject): KubeObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return served;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: served.metadata };
}

export function table(
  def: ResourceDef,
  objects: KubeObject[],
  options: {
    include: IncludeObject;
    now: Date;
    metadata: Record<string, unknown>;
    withColumns?: boolean;
    serve: (o: KubeObject) => KubeObject;
  },
): Record<string, unknown> {
  const columns = columnsFor(def);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: options.metadata,
    columnDefinitions: options.withColumns === false ? [] : columns.map(({ cell: _cell, ...definition }) => definition),
    rows: objects.map((o) => {
      const row: Record<string, unknown> = { cells: columns.map((c) => c.cell(o, options.now)) };
      const object = rowObject(options.serve(o), options.include);
      if (object) row.object = object;
      return row;
    }),
  };
}
