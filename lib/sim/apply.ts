// Server-side apply: merging an applied configuration into the live object the way the server does.
import { listShape } from './field-shapes.ts';
import { FieldSet, difference, fromFieldsV1, intersection, pathString, union } from './field-set.ts';
import { appliedFieldSet, ownableFields } from './managed-fields.ts';
import type { KubeObject, ResourceDef } from './types.ts';
import { compareValues, fieldEntries, isPlainObject, itemElement, type PlainObject } from './value-fields.ts';

export interface ApplyArgs {
  def: ResourceDef;
  live?: KubeObject;
  applied: KubeObject;
  manager: string;
  force: boolean;
}

export type ApplyResult = { object: KubeObject } | { conflicts: Array<{ manager: string; field: string }> };

/**
 * Merges `applied` into `live`: maps field by field, keyed lists item by item, sets by value, anything
 * else replaced. Fields this manager applied last time but no longer applies are removed unless another
 * manager owns them. Changing a field another manager owns is a conflict unless `force`.
 * managedFields are left as they were; recordWrite with operation Apply records the new ownership.
 */
export function serverSideApply(args: ApplyArgs): ApplyResult {
  const { def, live, manager, force } = args;
  const applied = structuredClone(args.applied) as KubeObject;
  delete applied.metadata.managedFields;
  if (def.subresources.includes('status')) delete applied.status;
  if (!live) return { object: applied };

  const entries = live.metadata.managedFields ?? [];
  const isMine = (e: (typeof entries)[number]) => e.manager === manager && e.operation === 'Apply' && !e.subresource;
  const lastApplied = entries
    .filter(isMine)
    .reduce((set, e) => union(set, fromFieldsV1(e.fieldsV1 ?? {})), new FieldSet());
  const others = entries.filter((e) => !isMine(e));
  const ownedByOthers = others.reduce((set, e) => union(set, fromFieldsV1(e.fieldsV1 ?? {})), new FieldSet());
  const nowApplied = appliedFieldSet(applied);

  let merged = mergeValue(structuredClone(live), applied, []) as KubeObject;
  const dropped = difference(difference(lastApplied, nowApplied), ownedByOthers);
  merged = pruneValue(merged, [], dropped, union(nowApplied, ownedByOthers), []) as KubeObject;
  merged.metadata.managedFields = structuredClone(live.metadata.managedFields);

  if (!force) {
    let { changed } = compareValues(ownableFields(live), ownableFields(merged));
    if (def.subresources.includes('status')) changed = difference(changed, statusSubtree(changed));
    const conflicts = others.flatMap((e) =>
      intersection(fromFieldsV1(e.fieldsV1 ?? {}), changed)
        .paths()
        .map((path) => ({ manager: e.manager, field: pathString(path) })),
    );
    if (conflicts.length > 0) return { conflicts };
  }
  return { object: merged };
}

function statusSubtree(set: FieldSet): FieldSet {
  const out = new FieldSet();
  const status = set.children.get('f:status');
  if (status) out.children.set('f:status', status);
  return out;
}

function mergeValue(live: unknown, applied: unknown, chain: string[]): unknown {
  if (applied === null || applied === undefined) return live;
  if (isPlainObject(applied) && isPlainObject(live) && fieldEntries(applied, chain)) {
    const out: PlainObject = { ...live };
    for (const [key, value] of Object.entries(applied)) {
      const merged = mergeValue(live[key], value, [...chain, key]);
      if (merged !== undefined) out[key] = merged;
    }
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const shape = listShape(chain);
    if (shape.type === 'set') return [...live, ...applied.filter((v) => !live.includes(v))];
    if (shape.type === 'map') {
      const out = [...live];
      for (const item of applied) {
        const key = itemElement(shape, item);
        const at = out.findIndex((existing) => itemElement(shape, existing) === key);
        if (at >= 0) out[at] = shape.atomicItems ? structuredClone(item) : mergeValue(out[at], item, chain);
        else out.push(structuredClone(item));
      }
      return out;
    }
  }
  return structuredClone(applied);
}

// Removes the fields in `remove` from `value`, except where `keep` (fields someone still owns) holds
// something at or below them; a keyed list item that stays keeps its key fields.
function pruneValue(
  value: unknown,
  chain: string[],
  remove: FieldSet,
  keep: FieldSet | undefined,
  protectedFields: string[],
): unknown {
  const entries = fieldEntries(value, chain);
  if (!entries || remove.children.size === 0) return value;
  const kept = entries.flatMap((entry) => {
    const r = remove.children.get(entry.element);
    if (!r) return [entry];
    const k = keep?.children.get(entry.element);
    const name = entry.element.slice(2);
    if (r.member && (!k || k.isEmpty()) && !protectedFields.includes(name)) return [];
    const shape = Array.isArray(value) ? listShape(chain) : undefined;
    const keys = shape?.type === 'map' ? shape.keys : [];
    const pruned = pruneValue(entry.value, entry.chain, r, k, keys);
    return isEmptied(entry.value, pruned) ? [] : [{ ...entry, value: pruned }];
  });
  if (Array.isArray(value)) return kept.map((e) => e.value);
  const out: PlainObject = {};
  const keptByField = new Map(kept.map((e) => [e.element.slice(2), e.value]));
  for (const [key, v] of Object.entries(value as PlainObject)) {
    if (v === null || v === undefined) out[key] = v;
    else if (keptByField.has(key)) out[key] = keptByField.get(key);
  }
  return out;
}

// A map or list that lost all its entries to pruning goes too, as the server does not keep it empty.
function isEmptied(before: unknown, after: unknown): boolean {
  const size = (v: unknown) => (Array.isArray(v) ? v.length : isPlainObject(v) ? Object.keys(v).length : -1);
  return size(before) > 0 && size(after) === 0;
}
