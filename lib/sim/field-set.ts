// A set of field paths, the structure behind a managedFields entry's FieldsV1. Each node is one path
// element ('f:name', 'k:{"name":"web"}', 'v:"x"', 'i:0'); `member` says the path itself is in the set.
import { isPlainMap } from '../json/index.ts';

export class FieldSet {
  member = false;
  readonly children = new Map<string, FieldSet>();

  child(element: string): FieldSet {
    let node = this.children.get(element);
    if (!node) {
      node = new FieldSet();
      this.children.set(element, node);
    }
    return node;
  }

  insert(path: readonly string[]): void {
    let node: FieldSet = this;
    for (const element of path) node = node.child(element);
    node.member = true;
  }

  isEmpty(): boolean {
    return !this.member && this.children.size === 0;
  }

  /** Every member path, in a stable order. */
  paths(prefix: string[] = []): string[][] {
    const out: string[][] = this.member ? [prefix] : [];
    for (const [element, node] of this.children) out.push(...node.paths([...prefix, element]));
    return out;
  }
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  const out = new FieldSet();
  out.member = a.member || b.member;
  for (const element of new Set([...a.children.keys(), ...b.children.keys()])) {
    const x = a.children.get(element) ?? new FieldSet();
    const y = b.children.get(element) ?? new FieldSet();
    out.children.set(element, union(x, y));
  }
  return out;
}

/** Paths of `a` that are not in `b`. */
export function difference(a: FieldSet, b: FieldSet | undefined): FieldSet {
  const out = new FieldSet();
  out.member = a.member && !b?.member;
  for (const [element, node] of a.children) {
    const rest = difference(node, b?.children.get(element));
    if (!rest.isEmpty()) out.children.set(element, rest);
  }
  return out;
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out = new FieldSet();
  out.member = a.member && b.member;
  for (const [element, node] of a.children) {
    const other = b.children.get(element);
    if (!other) continue;
    const both = intersection(node, other);
    if (!both.isEmpty()) out.children.set(element, both);
  }
  return out;
}

/**
 * `set` without the given paths and everything below them; `set` itself when it has none of them (the sets these
 * functions make have no empty nodes, so a copy would be the same).
 */
export function withoutSubtrees(set: FieldSet, paths: ReadonlyArray<readonly string[]>): FieldSet {
  const cut = new FieldSet();
  for (const path of paths) if (path.length > 0 && nodeAt(set, path)) cut.insert(path);
  return cut.isEmpty() ? set : withoutCut(set, cut);
}

function nodeAt(set: FieldSet, path: readonly string[]): FieldSet | undefined {
  let node: FieldSet | undefined = set;
  for (const element of path) node = node?.children.get(element);
  return node;
}

// A copy of `set` (without empty nodes) that leaves out each subtree `cut` has as a member.
function withoutCut(set: FieldSet, cut: FieldSet): FieldSet {
  const out = new FieldSet();
  out.member = set.member;
  for (const [element, node] of set.children) {
    const below = cut.children.get(element);
    if (below?.member) continue;
    const rest = below ? withoutCut(node, below) : difference(node, undefined);
    if (!rest.isEmpty()) out.children.set(element, rest);
  }
  return out;
}

export function fromFieldsV1(fields: Record<string, unknown>): FieldSet {
  const set = new FieldSet();
  const entries = Object.entries(fields);
  set.member = entries.length === 0 || '.' in fields;
  for (const [element, value] of entries) {
    if (element === '.') continue;
    set.children.set(element, fromFieldsV1((value ?? {}) as Record<string, unknown>));
  }
  return set;
}

// FieldsV1 `fields` read as fromFieldsV1 reads it, without making the set: a node is a member when it has no keys
// or has '.', and '.' is never a path element.

/** Whether every member path of `set` is in the set FieldsV1 `fields` stands for. */
export function fieldsV1HasAll(fields: Record<string, unknown> | undefined, set: FieldSet): boolean {
  const node = fields ?? {};
  if (set.member && !isFieldsV1Member(node)) return false;
  for (const [element, child] of set.children) {
    const has = element !== '.' && Object.hasOwn(node, element);
    if (has ? !fieldsV1HasAll(node[element] as Record<string, unknown> | undefined, child) : hasMembers(child))
      return false;
  }
  return true;
}

/** Whether some member path of `set` is in the set FieldsV1 `fields` stands for. */
export function fieldsV1HasAny(fields: Record<string, unknown> | undefined, set: FieldSet): boolean {
  const node = fields ?? {};
  if (set.member && isFieldsV1Member(node)) return true;
  for (const [element, child] of set.children) {
    if (
      element !== '.' &&
      Object.hasOwn(node, element) &&
      fieldsV1HasAny(node[element] as Record<string, unknown> | undefined, child)
    )
      return true;
  }
  return false;
}

function isFieldsV1Member(node: Record<string, unknown>): boolean {
  return !hasKeys(node) || '.' in node;
}

function hasMembers(set: FieldSet): boolean {
  if (set.member) return true;
  for (const child of set.children.values()) if (hasMembers(child)) return true;
  return false;
}

function hasKeys(map: Record<string, unknown>): boolean {
  for (const _key in map) return true;
  return false;
}

// FieldsV1 of committed objects (frozen, so they stay as they are) found to be in toFieldsV1's form.
const normalAndFrozen = new WeakSet<object>();

/** toFieldsV1(fromFieldsV1(fields)): `fields` itself when it is in that form already. */
export function normalFieldsV1(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (fields && normalAndFrozen.has(fields)) return fields;
  if (!isNormalFieldsV1(fields)) return toFieldsV1(fromFieldsV1(fields ?? {}));
  if (Object.isFrozen(fields)) normalAndFrozen.add(fields);
  return fields;
}

// The form toFieldsV1 writes: plain maps all the way down, '.' (an empty map) only first and only beside
// other keys, the other keys sorted.
function isNormalFieldsV1(fields: unknown): fields is Record<string, unknown> {
  if (!isPlainMap(fields)) return false;
  const keys = Object.keys(fields);
  const dotted = keys[0] === '.';
  if (dotted && (keys.length === 1 || !isPlainMap(fields['.']) || Object.keys(fields['.']).length > 0)) return false;
  for (let i = dotted ? 1 : 0; i < keys.length; i++) {
    if (keys[i] === '.' || (i > (dotted ? 1 : 0) && keys[i - 1] >= keys[i]) || !isNormalFieldsV1(fields[keys[i]]))
      return false;
  }
  return true;
}

/** The FieldsV1 form: '.' marks a member that also has children; keys sorted as the server sorts them. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (set.member && set.children.size > 0) out['.'] = {};
  for (const element of [...set.children.keys()].sort()) {
    const node = set.children.get(element)!;
    if (!node.isEmpty()) out[element] = toFieldsV1(node);
  }
  return out;
}

/** A path as the server prints it in a conflict: `.spec.containers[name="web"].image`. */
export function pathString(path: readonly string[]): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      switch (element.slice(0, 2)) {
        case 'f:':
          return `.${body}`;
        case 'k:':
          return `[${Object.entries(JSON.parse(body) as Record<string, unknown>)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(',')}]`;
        case 'v:':
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}
