// Reads an object's value as a tree of field paths, the way structured-merge-diff does: maps by field
// name, keyed lists by item key, sets by value, everything else (scalars, atomic lists and maps) as leaves.
import { isAtomicMap, listShape, type ListShape } from './field-shapes.ts';
import { FieldSet } from './field-set.ts';
import { deepEqual, isJsonMap, type JsonMap } from '../json/index.ts';

export type PlainObject = JsonMap;
export { deepEqual, isJsonMap as isPlainObject };

// Each field's path element is made once: the same string every time is hashed once as a FieldSet key and is
// found at once as a FieldsV1 key (a new string has to be looked up among the property names first). Field names
// include data keys, which have no bound, so the cache starts again past a size.
const fieldElements = new Map<string, string>();
const FIELD_ELEMENTS_KEPT = 10_000;

function fieldElement(name: string): string {
  let element = fieldElements.get(name);
  if (element === undefined) {
    if (fieldElements.size >= FIELD_ELEMENTS_KEPT) fieldElements.clear();
    fieldElements.set(name, (element = `f:${name}`));
  }
  return element;
}

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
      .map(([name, v]) => ({ element: fieldElement(name), value: v, chain: [...chain, name] }));
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
  if (shape.type === 'set') return `v:${valueJson(item)}`;
  const source = isJsonMap(item) ? item : {};
  let key = '';
  for (const { name, quoted } of sortedKeysOf(shape)) {
    const v = source[name] ?? shape.keyDefaults?.[name];
    if (v !== undefined) key += `${key ? ',' : ''}${quoted}:${valueJson(v)}`;
  }
  return `k:{${key}}`;
}

// Strings that JSON.stringify writes with escapes (a surrogate, even a paired one, is left to it).
const ESCAPED = /[\u0000-\u001f"\\\ud800-\udfff]/;

/**
 * JSON.stringify(value): item keys are mostly plain strings and numbers, which are written directly (a call to
 * JSON.stringify costs more than the whole element otherwise).
 */
function valueJson(value: unknown): string {
  if (typeof value === 'string' && !ESCAPED.test(value)) return `"${value}"`;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return JSON.stringify(value);
}

interface KeyName {
  name: string;
  quoted: string;
}

const sortedKeys = new WeakMap<ListShape, KeyName[]>();

function sortedKeysOf(shape: Extract<ListShape, { type: 'map' }>): KeyName[] {
  let keys = sortedKeys.get(shape);
  if (!keys)
    sortedKeys.set(shape, (keys = [...shape.keys].sort().map((name) => ({ name, quoted: JSON.stringify(name) }))));
  return keys;
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
  compareAt(lhs, rhs, [], [], false, result);
  return result;
}

/** What the server walks into at `chain`: a map's fields, a keyed list's or set's items, or nothing (a leaf). */
function structureOf(value: unknown, chain: readonly string[], isItem: boolean): 'map' | 'list' | undefined {
  if (isItem && isAtomicItem(chain)) return undefined;
  if (isJsonMap(value)) return isAtomicMap(chain) ? undefined : 'map';
  if (Array.isArray(value)) return listShape(chain).type === 'atomic' ? undefined : 'list';
  return undefined;
}

// Whether structureOf(value) at this chain is `structure`, the structure another value has here: at one chain,
// values of the same kind (map or list) have the same structure.
function isKindOf(structure: 'map' | 'list', value: unknown): boolean {
  return structure === 'map' ? isJsonMap(value) : Array.isArray(value);
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

// `chain` and `path` are the walk's own stacks: pushed before a child is compared and popped after.
function compareAt(
  lhs: unknown,
  rhs: unknown,
  chain: string[],
  path: string[],
  isItem: boolean,
  out: Comparison,
): void {
  if (lhs === rhs) return; // the same value (status carried over from the stored object)
  const added = isAbsent(lhs);
  const gone = isAbsent(rhs);
  if (added && gone) return;
  if (added || gone) {
    // Everything below a new (or removed) map or list is new (or removed) with it.
    const structure = structureOf(added ? rhs : lhs, chain, isItem);
    if (structure) compareChildren(structure, lhs, rhs, chain, path, out);
    (added ? out.changed : out.removed).insert(path);
    return;
  }
  const structure = structureOf(lhs, chain, isItem);
  if (structure && isKindOf(structure, rhs)) compareChildren(structure, lhs, rhs, chain, path, out);
  else if (!deepEqual(lhs, rhs)) out.changed.insert(path);
}

/** Compares the fields (or items) of two maps (or lists), either of which may be absent. */
function compareChildren(
  structure: 'map' | 'list',
  lhs: unknown,
  rhs: unknown,
  chain: string[],
  path: string[],
  out: Comparison,
): void {
  if (structure === 'map') compareFields(isJsonMap(lhs) ? lhs : {}, isJsonMap(rhs) ? rhs : {}, chain, path, out);
  else compareItems(Array.isArray(lhs) ? lhs : [], Array.isArray(rhs) ? rhs : [], chain, path, out);
}

// Most fields of a rewritten object are unchanged scalars: they are skipped before their path is made. And most
// maps keep their fields in the same order: then the fields only `rhs` sets are the ones `lhs` has as null, and the
// second pass over `rhs` is needed only when there is one.
function compareFields(lhs: PlainObject, rhs: PlainObject, chain: string[], path: string[], out: Comparison): void {
  const names = Object.keys(lhs);
  let setWhereNull = false;
  for (const name of names) {
    const left = lhs[name];
    const right = rhs[name];
    if (isAbsent(left)) setWhereNull ||= !isAbsent(right);
    else if (left !== right) compareField(name, left, right, chain, path, out);
  }
  const rightNames = Object.keys(rhs);
  if (!setWhereNull && sameNames(names, rightNames)) return;
  for (const name of rightNames)
    if (!isAbsent(rhs[name]) && isAbsent(lhs[name])) compareField(name, undefined, rhs[name], chain, path, out);
}

function sameNames(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function compareField(
  name: string,
  lhs: unknown,
  rhs: unknown,
  chain: string[],
  path: string[],
  out: Comparison,
): void {
  chain.push(name);
  path.push(fieldElement(name));
  compareAt(lhs, rhs, chain, path, false, out);
  chain.pop();
  path.pop();
}

function compareItems(lhs: unknown[], rhs: unknown[], chain: string[], path: string[], out: Comparison): void {
  const shape = listShape(chain) as Exclude<ListShape, { type: 'atomic' }>;
  if (pairsInOrder(shape, lhs, rhs)) {
    for (let i = 0; i < lhs.length; i++) compareItem(itemElement(shape, lhs[i]), lhs[i], rhs[i], chain, path, out);
    return;
  }
  const left = itemsByElement(shape, lhs);
  const right = itemsByElement(shape, rhs);
  for (const [element, item] of left) compareItem(element, item, right.get(element), chain, path, out);
  for (const [element, item] of right) if (!left.has(element)) compareItem(element, undefined, item, chain, path, out);
}

function compareItem(
  element: string,
  lhs: unknown,
  rhs: unknown,
  chain: string[],
  path: string[],
  out: Comparison,
): void {
  path.push(element);
  compareAt(lhs, rhs, chain, path, true, out);
  path.pop();
}

/** A list's items by path element; of two items with the same key, the last counts. */
function itemsByElement(shape: Exclude<ListShape, { type: 'atomic' }>, items: unknown[]): Map<string, unknown> {
  const byElement = new Map<string, unknown>();
  for (const item of items) byElement.set(itemElement(shape, item), item);
  return byElement;
}

// The usual case of a rewritten list: the same items (by key) in the same order. Telling it from the items' key
// values is much cheaper than making and comparing their elements (fresh strings), and then each item is compared
// with its counterpart in order, as itemsByElement would pair them.

/** Whether item i of `lhs` and of `rhs` have the same element, for every i, and no element is there twice. */
function pairsInOrder(shape: Exclude<ListShape, { type: 'atomic' }>, lhs: unknown[], rhs: unknown[]): boolean {
  if (lhs.length !== rhs.length || lhs.length > 8) return false;
  for (let i = 0; i < lhs.length; i++) {
    if (sameElement(shape, lhs[i], rhs[i]) !== true) return false;
    for (let j = 0; j < i; j++) if (sameElement(shape, lhs[i], lhs[j]) !== false) return false;
  }
  return true;
}

/** itemElement(shape, a) === itemElement(shape, b); undefined when a key value is not a plain scalar. */
function sameElement(shape: Exclude<ListShape, { type: 'atomic' }>, a: unknown, b: unknown): boolean | undefined {
  if (shape.type === 'set') return sameScalar(a, b);
  let same = true;
  for (const { name } of sortedKeysOf(shape)) {
    const result = sameScalar(keyValue(shape, a, name), keyValue(shape, b, name));
    if (result === undefined) return undefined;
    same &&= result;
  }
  return same;
}

function keyValue(shape: Extract<ListShape, { type: 'map' }>, item: unknown, name: string): unknown {
  return (isJsonMap(item) ? item[name] : undefined) ?? shape.keyDefaults?.[name];
}

// Plain scalars (and no value) have the same JSON exactly when they are ===.
function sameScalar(a: unknown, b: unknown): boolean | undefined {
  return isPlainScalar(a) && isPlainScalar(b) ? a === b : undefined;
}

function isPlainScalar(value: unknown): boolean {
  return (
    value === undefined ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}
