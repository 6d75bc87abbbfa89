// Field-level changes between two versions of one object, as a reviewer reads them:
//   spec.replicas: 2 → 3
//   spec.template.spec.containers[web].image: shop:v1 → shop:v2
// Pure: shared by diff's renderers, restore's plan and the watch's commit messages.

/** One step of a field path: a map key, a list index, or a list element found by its `name`. */
export type FieldPathSegment = { key: string } | { index: number } | { name: string };

export interface FieldChange {
  /** `spec.template.spec.containers[web].image`; keys that are not plain identifiers are quoted: `metadata.labels["app.kubernetes.io/name"]`. */
  path: string;
  segments: FieldPathSegment[];
  type: 'added' | 'removed' | 'changed';
  /** Absent for `added`. */
  before?: unknown;
  /** Absent for `removed`. */
  after?: unknown;
}

import { isJsonMap, uniqueNames } from './index.ts';

type Json = unknown;

export function formatFieldPath(segments: readonly FieldPathSegment[]): string {
  let text = '';
  for (const segment of segments) {
    if ('key' in segment)
      text += /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment.key)
        ? `${text ? '.' : ''}${segment.key}`
        : `[${JSON.stringify(segment.key)}]`;
    else if ('index' in segment) text += `[${segment.index}]`;
    else text += `[${segment.name}]`;
  }
  return text;
}

/**
 * What changed from `before` to `after` (either may be undefined: the whole object created or deleted),
 * leaf by leaf, in document order. Lists of named maps are matched by name, other lists of the same
 * length element by element, and any other list is one value.
 */
export function fieldChanges(before: Json, after: Json): FieldChange[] {
  const changes: FieldChange[] = [];
  // One path stack for the whole walk, copied only into the changes found.
  const segments: FieldPathSegment[] = [];
  const record = (type: FieldChange['type'], old: Json, now: Json) => {
    const path = segments.slice();
    const change: FieldChange = { path: formatFieldPath(path), segments: path, type };
    if (type !== 'added') change.before = old;
    if (type !== 'removed') change.after = now;
    changes.push(change);
  };
  const walkInto = (segment: FieldPathSegment, old: Json, now: Json) => {
    segments.push(segment);
    walk(old, now);
    segments.pop();
  };
  // Equal subtrees are walked without finding anything, so no equality test is needed before descending.
  const walk = (old: Json, now: Json) => {
    if (old === now) return;
    if (old === undefined) return record('added', old, now);
    if (now === undefined) return record('removed', old, now);
    if (isJsonMap(old) && isJsonMap(now)) {
      // Own keys only: `constructor` or `toString` in one object is not Object.prototype's in the other.
      for (const key in old) walkInto({ key }, old[key], Object.hasOwn(now, key) ? now[key] : undefined);
      for (const key in now) if (!Object.hasOwn(old, key)) walkInto({ key }, undefined, now[key]);
      return;
    }
    if (Array.isArray(old) && Array.isArray(now)) {
      const oldNames = uniqueNames(old);
      const newNames = uniqueNames(now);
      if (oldNames && newNames) {
        const newByName = new Map(newNames.map((name, i) => [name, now[i]]));
        oldNames.forEach((name, i) => walkInto({ name }, old[i], newByName.get(name)));
        const oldSet = new Set(oldNames);
        newNames.forEach((name, i) => oldSet.has(name) || walkInto({ name }, undefined, now[i]));
        return;
      }
      if (old.length === now.length) {
        old.forEach((item, index) => walkInto({ index }, item, now[index]));
        return;
      }
    }
    record('changed', old, now);
  };
  walk(before, after);
  return changes;
}

/** A value as one short line: strings bare, everything else as compact JSON. */
export function formatFieldValue(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string')
    return value === '' || /[\n\r]/.test(value) || value.trim() !== value ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/** `spec.replicas: 2 → 3`, `metadata.labels.tier: + web`, `spec.paused: - true`. */
export function formatFieldChange(change: FieldChange): string {
  if (change.type === 'added') return `${change.path}: + ${formatFieldValue(change.after)}`;
  if (change.type === 'removed') return `${change.path}: - ${formatFieldValue(change.before)}`;
  return `${change.path}: ${formatFieldValue(change.before)} → ${formatFieldValue(change.after)}`;
}
