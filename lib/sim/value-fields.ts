// Reads an object's value as a tree of field paths, the way structured-merge-diff does: maps by field
// name, keyed lists by item key, sets by value, everything else (scalars, atomic lists and maps) as leaves.
import { isAtomicMap, listShape, type ListShape } from './field-shapes.ts';
import { FieldSet } from './field-set.ts';
import { deepEqual, isJsonMap, type JsonMap } from '../json/index.ts';

export type PlainObject = JsonMap;
export { deepEqual, isJsonMap as isPlainObject };


/** One child of a map or list: its path element, value and chain (the field names leading to it). */
export interface FieldEntry {
  element: string;
  value: unknown;
  chain: string[];
}

/** The children of `value` at `chain`, or undefined when the server treats it as a single leaf. */
export function fieldEntries(value: unknown, chain: readonly string[]): FieldEntry[] | undefined {
  if (isJsonMap(value)) {
    if (isAtomicMap(chain)) return undefined;
    return Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([name, v]) => ({ element: `f:${name}`, value: v, chain: [...chain, name] }));
  }
  if (Array.isArray(value)) {
    const shape = listShape(chain);
    if (shape.type === 'atomic') return undefined;
    return value.map((item) => ({ element: itemElement(shape, item), value: item, chain: [...chain] }));
  }
  return undefined;
}

/** The path element of a list item: `k:{...}` for keyed lists, `v:...` for sets. */
export function itemElement(shape: Exclude<ListShape, { type: 'atomic' }>, item: unknown): string {
  if (shape.type === 'set') return `v:${JSON.stringify(item)}`;
  const source = isJsonMap(item) ? item : {};
  const key: PlainObject = {};
  for (const name of [...shape.keys].sort()) {
    const v = source[name] ?? shape.keyDefaults?.[name];
    if (v !== undefined) key[name] = v;
  }
  return `k:${JSON.stringify(key)}`;
}

function isAtomicItem(chain: readonly string[]): boolean {
  const shape = listShape(chain);
  return shape.type === 'map' && shape.atomicItems === true;
}

function childEntries(entry: FieldEntry, parentIsList: boolean): FieldEntry[] | undefined {
  if (parentIsList && isAtomicItem(entry.chain)) return undefined;
  return fieldEntries(entry.value, entry.chain);
}

/** The set of fields `value` sets, as server-side apply records an applier's ownership. */
export function fieldSetOf(value: unknown, chain: readonly string[] = []): FieldSet {
  const set = new FieldSet();
  const visit = (node: FieldSet, entries: FieldEntry[], isList: boolean) => {
    for (const entry of entries) {
      const child = node.child(entry.element);
      const grandchildren = childEntries(entry, isList);
      // Keyed list items own themselves; empty maps and leaves are members with no children.
      if (!grandchildren || grandchildren.length === 0 || isList) child.member = true;
      if (grandchildren) visit(child, grandchildren, Array.isArray(entry.value));
    }
  };
  visit(set, fieldEntries(value, chain) ?? [], Array.isArray(value));
  return set;
}

export interface Comparison {
  /** Fields added or given a different value. */
  changed: FieldSet;
  removed: FieldSet;
}

/**
 * The fields that differ between two versions of an object. A map or list that is new in `rhs` is
 * itself counted as changed (that is the '.' entry in FieldsV1); one that merely gains children is not.
 */
export function compareValues(lhs: unknown, rhs: unknown): Comparison {
  const result: Comparison = { changed: new FieldSet(), removed: new FieldSet() };
  walk(lhs, rhs, [], [], false, result);
  return result;
}

function walk(lhs: unknown, rhs: unknown, chain: string[], path: string[], isItem: boolean, out: Comparison): void {
  const absent = (v: unknown) => v === undefined || v === null;
  const structured = (v: unknown) => (isItem && isAtomicItem(chain) ? undefined : fieldEntries(v, chain));
  const left = absent(lhs) ? [] : structured(lhs);
  const right = absent(rhs) ? [] : structured(rhs);
  const sameKind = absent(lhs) || absent(rhs) || Array.isArray(lhs) === Array.isArray(rhs);
  if (!left || !right || !sameKind || (left.length === 0 && right.length === 0)) {
    if (absent(lhs) && absent(rhs)) return;
    // Two maps or lists with no (non-null) entries are the same value.
    if (left && right && sameKind && !absent(lhs) && !absent(rhs)) return;
    if (absent(lhs)) out.changed.insert(path);
    else if (absent(rhs)) out.removed.insert(path);
    else if (!deepEqual(lhs, rhs)) out.changed.insert(path);
    return;
  }
  const leftByElement = new Map(left.map((e) => [e.element, e]));
  const rightByElement = new Map(right.map((e) => [e.element, e]));
  const isList = Array.isArray(absent(lhs) ? rhs : lhs);
  for (const element of new Set([...leftByElement.keys(), ...rightByElement.keys()])) {
    const l = leftByElement.get(element);
    const r = rightByElement.get(element);
    walk(l?.value, r?.value, (r ?? l)!.chain, [...path, element], isList, out);
  }
  if (absent(lhs)) out.changed.insert(path);
  else if (absent(rhs)) out.removed.insert(path);
}

