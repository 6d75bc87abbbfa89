// metadata.managedFields as the API server maintains them (structured-merge-diff's Update and Apply).
import { isBuiltinResource } from './catalog.ts';
import { serverAssignedPaths } from './defaults.ts';
import {
  FieldSet,
  difference,
  fieldsV1HasAll,
  fieldsV1HasAny,
  fromFieldsV1,
  normalFieldsV1,
  toFieldsV1,
  union,
  withoutSubtrees,
} from './field-set.ts';
import type { KubeObject, ManagedFieldsEntry, ResourceDef } from './types.ts';
import { compareValues, fieldSetOf, type PlainObject } from './value-fields.ts';

// Identity and bookkeeping fields the server never records as owned.
const UNOWNED_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
]);

/** The object without the fields that never appear in managedFields. */
export function ownableFields(object: unknown): PlainObject {
  const source = (object ?? {}) as PlainObject;
  const meta: PlainObject = {};
  const given = (source.metadata ?? {}) as PlainObject;
  for (const field of Object.keys(given)) if (!UNOWNED_METADATA.has(field)) meta[field] = given[field];
  const fields: PlainObject = { metadata: meta };
  for (const field of Object.keys(source))
    if (field !== 'apiVersion' && field !== 'kind' && field !== 'metadata') fields[field] = source[field];
  return fields;
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

/**
 * Sets next.metadata.managedFields for a write. Update: the writer gains every field it added or
 * changed (on create, everything incl. defaults). Apply: the writer owns exactly the applied fields.
 * Fields that changed are taken away from every other manager.
 */
export function recordWrite(args: RecordWriteArgs): void {
  const { def, previous, next, manager, operation, subresource, time } = args;
  const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  const before = previous ? ownableFields(previous) : createSkeleton(def);
  const { changed, removed } = compareValues(before, ownableFields(next));
  changed.member = false;
  const change: Change = { touched: keepWritable(def, subresource, changed), removed };

  const entries: ManagedFieldsEntry[] = [];
  let writer: ManagedFieldsEntry | undefined;
  for (const recorded of previous?.metadata.managedFields ?? next.metadata.managedFields ?? []) {
    if (isWriterEntry(recorded, manager, operation, subresource, apiVersion)) {
      writer = recorded;
      continue;
    }
    const { fieldsV1, ...entry } = recorded;
    const remaining = fieldsLeftTo(fieldsV1, change);
    if (remaining) entries.push({ ...entry, fieldsV1: remaining });
  }

  const written =
    operation === 'Apply'
      ? nonEmptyFieldsV1(keepWritable(def, subresource, appliedFieldSet(args.applied ?? next)))
      : updatedFields(writer, change, previous ? undefined : next);
  if (written) {
    // subresource before fieldsV1, and absent rather than undefined: the real server's key order and JSON.
    entries.push({
      manager,
      operation,
      apiVersion,
      time,
      fieldsType: 'FieldsV1',
      ...(subresource && { subresource }),
      fieldsV1: written,
    });
  }
  next.metadata.managedFields = entries.sort(compareEntries);
}

/** What a write changed: the fields it touched (as its writer may own them) and the ones it removed. */
interface Change {
  touched: FieldSet;
  removed: FieldSet;
}

function isWriterEntry(
  e: ManagedFieldsEntry,
  manager: string,
  operation: 'Apply' | 'Update',
  subresource: string | undefined,
  apiVersion: string,
): boolean {
  return (
    e.manager === manager &&
    e.operation === operation &&
    (e.subresource ?? undefined) === subresource &&
    (operation === 'Apply' || e.apiVersion === apiVersion)
  );
}

// Most writes change only fields their writer already owns: then every entry keeps its FieldsV1 as it was
// (in the form toFieldsV1 gives) instead of going through field sets.

/** Another manager's fields once what the write changed is taken away; undefined when none are left. */
function fieldsLeftTo(
  fieldsV1: Record<string, unknown> | undefined,
  change: Change,
): Record<string, unknown> | undefined {
  if (!fieldsV1HasAny(fieldsV1, change.touched) && !fieldsV1HasAny(fieldsV1, change.removed))
    return normalFieldsV1(fieldsV1);
  return nonEmptyFieldsV1(difference(difference(fromFieldsV1(fieldsV1 ?? {}), change.touched), change.removed));
}

/** An Update's writer's fields: what its entry owned, less what was removed, plus what it touched. `created`: the object, on create. */
function updatedFields(
  writer: ManagedFieldsEntry | undefined,
  change: Change,
  created: KubeObject | undefined,
): Record<string, unknown> | undefined {
  if (
    !created &&
    writer &&
    fieldsV1HasAll(writer.fieldsV1, change.touched) &&
    !fieldsV1HasAny(writer.fieldsV1, change.removed)
  )
    return normalFieldsV1(writer.fieldsV1);
  const set = union(
    difference(writer ? fromFieldsV1(writer.fieldsV1 ?? {}) : new FieldSet(), change.removed),
    change.touched,
  );
  return nonEmptyFieldsV1(created ? withoutSubtrees(set, serverAssignedPaths(created)) : set);
}

function nonEmptyFieldsV1(set: FieldSet): Record<string, unknown> | undefined {
  return set.isEmpty() ? undefined : toFieldsV1(set);
}

// A write through the main resource never owns status when status is a subresource; a write through
// a subresource owns nothing outside it.
function keepWritable(def: ResourceDef, subresource: 'status' | 'scale' | undefined, set: FieldSet): FieldSet {
  if (subresource === 'status') return withoutSubtrees(set, [['f:spec']]);
  if (subresource === 'scale') return withoutSubtrees(set, [['f:status'], ['f:metadata']]);
  return def.subresources.includes('status') ? withoutSubtrees(set, [['f:status']]) : set;
}

// The server's order: Apply before Update, then oldest first (no time counts as oldest), then by name.
function compareEntries(a: ManagedFieldsEntry, b: ManagedFieldsEntry): number {
  if (a.operation !== b.operation) return a.operation < b.operation ? -1 : 1;
  const ta = a.time ?? '';
  const tb = b.time ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.manager !== b.manager) return a.manager < b.manager ? -1 : 1;
  return a.apiVersion < b.apiVersion ? -1 : a.apiVersion > b.apiVersion ? 1 : 0;
}
