// Reading intent from metadata.managedFields (FieldsV1). A field set is a tree whose keys are
// `f:<field>` (a map field), `k:{json}` (a list element identified by some of its fields),
// `v:<json>` (a set element), `i:<n>` (a list index) and `.` (the node itself); `{}` is a leaf,
// owned whole.
import { isEqualJson, isMap, type JsonMap } from './fields.ts';
import type { ManagedFieldsEntry } from './types.ts';

export type FieldSet = { [key: string]: FieldSet };

/** Managers that run the cluster: what they write is run-time state, never the user's intent. */
const clusterManagers = new Set([
  'kube-controller-manager',
  'kube-scheduler',
  'kubelet',
  'kube-apiserver',
  'cloud-controller-manager',
  'kube-proxy',
]);

function isClusterEntry(entry: ManagedFieldsEntry): boolean {
  return entry.subresource === 'status' || clusterManagers.has(entry.manager);
}

function asFieldSet(value: unknown): FieldSet {
  return (isMap(value) ? value : {}) as FieldSet;
}

export function mergeFieldSets(a: FieldSet, b: FieldSet): FieldSet {
  const merged: FieldSet = { ...a };
  for (const [key, value] of Object.entries(b))
    merged[key] = key in merged ? mergeFieldSets(merged[key], value) : value;
  return merged;
}

function unionOf(entries: readonly ManagedFieldsEntry[]): FieldSet {
  // Most objects have one user manager: its field set is the union (field sets are only read, never edited).
  if (entries.length === 1) return asFieldSet(entries[0].fieldsV1);
  return entries.reduce<FieldSet>((union, entry) => mergeFieldSets(union, asFieldSet(entry.fieldsV1)), {});
}

export interface Intent {
  /** Union of the fields of every manager that is not the cluster itself; undefined without managedFields. */
  userFields?: FieldSet;
  /** Set only when every user manager used server-side apply: exactly the fields they applied. */
  appliedFields?: FieldSet;
}

export function readIntent(entries: readonly ManagedFieldsEntry[] | undefined): Intent {
  if (!entries || entries.length === 0) return {};
  const userEntries = entries.filter((entry) => !isClusterEntry(entry));
  const userFields = unionOf(userEntries);
  const allApplied = userEntries.length > 0 && userEntries.every((entry) => entry.operation === 'Apply');
  return allApplied ? { userFields, appliedFields: userFields } : { userFields };
}

/** What the cluster's own managers own outside status (a PVC's volumeName, replicas an autoscaler scaled), as `[manager, fields]`. */
export function clusterOwnedFields(entries: readonly ManagedFieldsEntry[] | undefined): Array<[string, FieldSet]> {
  return (entries ?? [])
    .filter((entry) => entry.subresource !== 'status' && clusterManagers.has(entry.manager))
    .map((entry) => [entry.manager, asFieldSet(entry.fieldsV1)]);
}

function parsedIdentity(key: string): unknown {
  try {
    return JSON.parse(key.slice(2));
  } catch {
    return undefined;
  }
}

/** Whether a list element is the one a `k:` key identifies: it has each of the key's fields, equal. */
function hasKeyFields(element: unknown, identity: unknown): boolean {
  if (!isMap(identity) || !isMap(element)) return false;
  for (const name in identity) if (!isEqualJson(element[name], identity[name])) return false;
  return true;
}

/** The field set of the list element `element` within the list's field set, if any manager owns it. */
export function elementFields(listFields: FieldSet, element: unknown, index: number): FieldSet | undefined {
  const indexKey = `i:${index}`;
  for (const key in listFields) {
    if (key === indexKey) return listFields[key];
    const keyed = key.startsWith('k:');
    if (!keyed && !key.startsWith('v:')) continue;
    const identity = parsedIdentity(key);
    if (identity === undefined) continue;
    if (keyed ? hasKeyFields(element, identity) : isEqualJson(identity, element)) return listFields[key];
  }
  return undefined;
}

function isLeaf(fields: FieldSet): boolean {
  return Object.keys(fields).length === 0;
}

/** `value` with only what `fields` names; a leaf keeps its whole subtree. */
export function pruneToFields(value: unknown, fields: FieldSet): unknown {
  if (isLeaf(fields)) return value;
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    value.forEach((element, index) => {
      const owned = elementFields(fields, element, index);
      if (owned) kept.push(pruneToFields(element, owned));
    });
    return kept;
  }
  if (isMap(value)) {
    const kept: JsonMap = {};
    for (const [key, child] of Object.entries(value)) {
      const owned = fields[`f:${key}`];
      if (owned) kept[key] = pruneToFields(child, owned);
    }
    return kept;
  }
  return value;
}
