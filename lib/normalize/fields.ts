// Small, named edits on JSON maps, so the per-kind rules read as lists of defaults.
import { isDeepStrictEqual } from 'node:util';

export type JsonMap = Record<string, unknown>;

export function isMap(value: unknown): value is JsonMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function mapAt(map: JsonMap | undefined, key: string): JsonMap | undefined {
  const value = map?.[key];
  return isMap(value) ? value : undefined;
}

export function mapsAt(map: JsonMap | undefined, key: string): JsonMap[] {
  const value = map?.[key];
  return Array.isArray(value) ? value.filter(isMap) : [];
}

/** isDeepStrictEqual, without its cost for the scalars most comparisons are about. */
export function isEqualJson(a: unknown, b: unknown): boolean {
  return b !== null && typeof b === 'object' ? isDeepStrictEqual(a, b) : Object.is(a, b);
}

export function deleteIfEqual(map: JsonMap | undefined, key: string, value: unknown): void {
  if (map && key in map && isEqualJson(map[key], value)) delete map[key];
}

/** Deletes each key whose value equals the given default. */
export function deleteDefaults(map: JsonMap | undefined, defaults: JsonMap): void {
  if (map) for (const key in defaults) deleteIfEqual(map, key, defaults[key]);
}

/** Deletes `key` when it holds an empty map, an empty list, or null. */
export function deleteIfEmpty(map: JsonMap | undefined, key: string): void {
  if (!map || !(key in map)) return;
  const value = map[key];
  const empty =
    value === null || (Array.isArray(value) ? value.length === 0 : isMap(value) && Object.keys(value).length === 0);
  if (empty) delete map[key];
}

export function deleteKeys(map: JsonMap | undefined, keys: readonly string[]): void {
  if (map) for (const key of keys) delete map[key];
}
