// JSON merge patch (RFC 7386) and an approximation of Kubernetes' strategic merge patch.
import { listShape } from './field-shapes.ts';
import type { ResourceDef } from './types.ts';
import { isPlainObject, itemElement, type PlainObject } from './value-fields.ts';

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. Returns a new value. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  return mergeInto(structuredClone(target), patch);
}

function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: PlainObject = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergeInto(out[key], value);
  }
  return out;
}

const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';
const SET_ELEMENT_ORDER = '$setElementOrder/';

/**
 * Strategic merge patch: a merge patch in which lists of maps with a known merge key (the keys server-side
 * apply uses) merge item by item and set-like lists merge by value. Honours `$patch: delete|replace`
 * on maps and list items, `$retainKeys`, and `$deleteFromPrimitiveList/<field>`; `$setElementOrder` is ignored.
 */
export function strategicMergePatch(_def: ResourceDef, target: unknown, patch: unknown): unknown {
  return patchValue(structuredClone(target), patch, []);
}

function patchValue(target: unknown, patch: unknown, chain: string[]): unknown {
  if (Array.isArray(patch)) return patchList(Array.isArray(target) ? target : [], patch, chain);
  if (!isPlainObject(patch)) return structuredClone(patch);
  return patchMap(isPlainObject(target) ? target : undefined, patch, chain);
}

function patchMap(target: PlainObject | undefined, patch: PlainObject, chain: string[]): PlainObject | undefined {
  const { $patch: directive, $retainKeys: retainKeys, ...fields } = patch;
  if (directive === 'delete') return undefined;
  let out: PlainObject = directive === 'replace' || !target ? {} : { ...target };
  if (Array.isArray(retainKeys)) out = Object.fromEntries(Object.entries(out).filter(([k]) => retainKeys.includes(k)));
  for (const [key, value] of Object.entries(fields)) {
    if (key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      const field = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
      const remove = Array.isArray(value) ? value : [];
      if (Array.isArray(out[field])) out[field] = (out[field] as unknown[]).filter((v) => !remove.includes(v));
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const merged = patchValue(out[key], value, [...chain, key]);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  return out;
}

function patchList(target: unknown[], patch: unknown[], chain: string[]): unknown[] {
  const shape = listShape(chain);
  if (patch.some((item) => isPlainObject(item) && item.$patch === 'replace')) {
    return patch
      .filter((item) => !(isPlainObject(item) && item.$patch === 'replace'))
      .map((item) => structuredClone(item));
  }
  if (shape.type === 'set') return [...target, ...patch.filter((v) => !target.includes(v))];
  if (shape.type !== 'map') return structuredClone(patch);
  const out = [...target];
  for (const item of patch) {
    if (!isPlainObject(item)) continue;
    const key = itemElement(shape, item);
    const at = out.findIndex((existing) => itemElement(shape, existing) === key);
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    const merged = patchMap(at >= 0 ? (out[at] as PlainObject) : undefined, item, chain);
    if (at >= 0) out[at] = merged;
    else out.push(merged);
  }
  return out;
}
