// Go's defaulting of one field, and the accessors the simulator's defaulting reaches fields with (a missing map is
// made where it is reached).
import { isPlainObject, type PlainObject } from './value-fields.ts';
import type { KubeObject } from './types.ts';

// Go's defaulting tests a string field against "" (its zero value), so `type: ""` is defaulted like a missing field.
export function setDefault(target: PlainObject, field: string, value: unknown): void {
  if (target[field] === undefined || (target[field] === '' && typeof value === 'string')) target[field] = value;
}

/** The object's spec, made an empty map when it is none. */
export function specOf(object: KubeObject): PlainObject {
  return objectAt(object, 'spec');
}

export function objectAt(parent: PlainObject, field: string): PlainObject {
  if (!isPlainObject(parent[field])) parent[field] = {};
  return parent[field] as PlainObject;
}

export function arrayAt(parent: PlainObject, field: string): unknown[] {
  return Array.isArray(parent[field]) ? (parent[field] as unknown[]) : [];
}
