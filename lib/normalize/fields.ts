// Small, named edits on JSON maps, so the per-kind rules read as lists of defaults.
import { isDeepStrictEqual } from 'node:util';

export type JsonMap = Record<string, unknown>;

export function isMap(value: unknown): value is JsonMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A deep copy of JSON data (plain maps, arrays, scalars), several times faster than structuredClone for the
 * objects a list returns; anything else (a Date from YAML, say) is copied by structuredClone.
 */
export function copyJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson);
  if (Object.getPrototypeOf(value) !== Object.prototype) return structuredClone(value);
  const copy: JsonMap = {};
  for (const key of Object.keys(value)) {
    const field = copyJson((value as JsonMap)[key]);
    // JSON.parse makes `__proto__` an own key; assigning it would set the copy's prototype instead.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: field, enumerable: true, writable: true, configurable: true });
    else copy[key] = field;
  }
  return copy;
}

export function mapAt(map: JsonMap | undefined, key: string): JsonMap | undefined {
  const value = map?.[key];
  return isMap(value) ? value : undefined;
}

export function mapsAt(map: JsonMap | undefined, key: string): JsonMap[] {
  const value = map?.[key];
  return Array.isArray(value) ? value.filter(isMap) : [];
}

export function deleteIfEqual(map: JsonMap | undefined, key: string, value: unknown): void {
  if (map && key in map && isDeepStrictEqual(map[key], value)) delete map[key];
}

/** Deletes each key whose value equals the given default. */
export function deleteDefaults(map: JsonMap | undefined, defaults: JsonMap): void {
  for (const [key, value] of Object.entries(defaults)) deleteIfEqual(map, key, value);
}

/** Deletes `key` when it holds an empty map, an empty list, or null. */
export function deleteIfEmpty(map: JsonMap | undefined, key: string): void {
  if (!map || !(key in map)) return;
  const value = map[key];
  const empty = value === null || (Array.isArray(value) ? value.length === 0 : isMap(value) && Object.keys(value).length === 0);
  if (empty) delete map[key];
}

export function deleteKeys(map: JsonMap | undefined, keys: readonly string[]): void {
  if (map) for (const key of keys) delete map[key];
}
