// metadata.managedFields as the API server maintains them (structured-merge-diff's Update and Apply).
import { isBuiltinResource } from './catalog.ts';
import { serverAssignedPaths } from './defaults.ts';
import { FieldSet, difference, fromFieldsV1, toFieldsV1, union, withoutSubtrees } from './field-set.ts';
import type { KubeObject, ManagedFieldsEntry, ResourceDef } from './types.ts';
import { compareValues, fieldSetOf, type PlainObject } from './value-fields.ts';

// Identity and bookkeeping fields the server never records as owned.
const UNOWNED_METADATA = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/** The object without the fields that never appear in managedFields. */
export function ownableFields(object: unknown): PlainObject {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = (object ?? {}) as PlainObject;
  const meta = { ...((metadata ?? {}) as PlainObject) };
  for (const field of UNOWNED_METADATA) delete meta[field];
  return { metadata: meta, ...rest };
}

/** The fields an applied configuration sets, list items by key: what its applier owns. */
export function appliedFieldSet(object: unknown): FieldSet {
  const fields = ownableFields(object);
  if (Object.keys(fields.metadata as PlainObject).length === 0) delete fields.metadata;
  return fieldSetOf(fields);
}

/** The FieldsV1 of an object: every field it sets, list items by key, as an applier owns them. */
export function fieldsV1Of(value: unknown): Record<string, unknown> {
  return toFieldsV1(appliedFieldSet(value));
}

const POD_TEMPLATE = { metadata: {}, spec: { containers: [] } };
// The maps and lists a freshly constructed built-in object already has (Go structs that are not
// pointers). A field that is new on create is owned together with its own path ('.') only when it is
// not part of this skeleton.
const CREATE_SKELETONS: Record<string, PlainObject> = {
  Deployment: { spec: { strategy: {}, template: POD_TEMPLATE } },
  ReplicaSet: { spec: { template: POD_TEMPLATE } },
  StatefulSet: { spec: { template: POD_TEMPLATE, updateStrategy: {} } },
  DaemonSet: { spec: { template: POD_TEMPLATE, updateStrategy: {} } },
  Job: { spec: { template: POD_TEMPLATE } },
  CronJob: { spec: { jobTemplate: { metadata: {}, spec: { template: POD_TEMPLATE } } } },
  PodTemplate: { template: POD_TEMPLATE },
  Pod: { spec: { containers: [] } },
  PersistentVolumeClaim: { spec: { resources: {} } },
};

function createSkeleton(def: ResourceDef): PlainObject {
  if (!isBuiltinResource(def)) return { metadata: {} };
  return { metadata: {}, spec: {}, status: {}, ...structuredClone(CREATE_SKELETONS[def.kind] ?? {}) };
}

export interface RecordWriteArgs {
  def: ResourceDef;
  previous?: KubeObject;
  next: KubeObject;
  manager: string;
  operation: 'Apply' | 'Update';
  subresource?: 'status' | 'scale';
  applied?: KubeObject;
  time: string;
}

interface Owner {
  entry: Omit<ManagedFieldsEntry, 'fieldsV1'>;
  set: FieldSet;
}

/**
 * Sets next.metadata.managedFields for a write. Update: the writer gains every field it added or
 * changed (on create, everything incl. defaults). Apply: the writer owns exactly the applied fields.
 * Fields that changed are taken away from every other manager.
 */
export function recordWrite(args: RecordWriteArgs): void {
  const { def, previous, next, manager, operation, subresource, time } = args;
  const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  const owners: Owner[] = (previous?.metadata.managedFields ?? next.metadata.managedFields ?? []).map((e) => {
    const { fieldsV1, ...entry } = e;
    return { entry, set: fromFieldsV1(fieldsV1 ?? {}) };
  });

  const before = previous ? ownableFields(previous) : createSkeleton(def);
  const { changed, removed } = compareValues(before, ownableFields(next));
  changed.member = false;
  const touched = keepWritable(def, subresource, changed);

  const isWriter = (e: Owner['entry']) =>
    e.manager === manager &&
    e.operation === operation &&
    (e.subresource ?? undefined) === subresource &&
    (operation === 'Apply' || e.apiVersion === apiVersion);

  const result: Owner[] = [];
  let writerSet: FieldSet | undefined;
  for (const owner of owners) {
    if (isWriter(owner.entry)) {
      writerSet = owner.set;
      continue;
    }
    result.push({ entry: owner.entry, set: difference(difference(owner.set, touched), removed) });
  }

  let set: FieldSet;
  if (operation === 'Apply') {
    set = keepWritable(def, subresource, appliedFieldSet(args.applied ?? next));
  } else {
    set = union(difference(writerSet ?? new FieldSet(), removed), touched);
    if (!previous) set = withoutSubtrees(set, serverAssignedPaths(next));
  }
  const entry: Owner['entry'] = { manager, operation, apiVersion, time, fieldsType: 'FieldsV1' };
  if (subresource) entry.subresource = subresource;
  result.push({ entry, set });

  next.metadata.managedFields = result
    .filter((o) => !o.set.isEmpty())
    .sort((a, b) => compareEntries(a.entry, b.entry))
    .map((o) => ({ ...o.entry, fieldsV1: toFieldsV1(o.set) }) as ManagedFieldsEntry);
}

// A write through the main resource never owns status when status is a subresource; a write through
// a subresource owns nothing outside it.
function keepWritable(def: ResourceDef, subresource: 'status' | 'scale' | undefined, set: FieldSet): FieldSet {
  if (subresource === 'status') return withoutSubtrees(set, [['f:spec']]);
  if (subresource === 'scale') return withoutSubtrees(set, [['f:status'], ['f:metadata']]);
  return def.subresources.includes('status') ? withoutSubtrees(set, [['f:status']]) : set;
}

// The server's order: Apply before Update, then oldest first (no time counts as oldest), then by name.
function compareEntries(a: Owner['entry'], b: Owner['entry']): number {
  if (a.operation !== b.operation) return a.operation < b.operation ? -1 : 1;
  const ta = a.time ?? '';
  const tb = b.time ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.manager !== b.manager) return a.manager < b.manager ? -1 : 1;
  return a.apiVersion < b.apiVersion ? -1 : a.apiVersion > b.apiVersion ? 1 : 0;
}
