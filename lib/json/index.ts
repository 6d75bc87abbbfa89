// Plain JSON values as parsed manifests and API answers hold them: shared by diff, restore and the simulator.

export type JsonMap = Record<string, unknown>;

export function isJsonMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality; a key whose value is undefined counts as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isJsonMap(a) && isJsonMap(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** The names of a list whose every element is a map with a unique string `name` (containers, ports, volumes, env); else undefined. */
export function uniqueNames(list: readonly unknown[]): string[] | undefined {
  const names = list.map((item) => (isJsonMap(item) && typeof item.name === 'string' ? item.name : undefined));
  if (names.some((name) => name === undefined) || new Set(names).size !== names.length) return undefined;
  return names as string[];
}

/** Whether a value is a map as JSON.parse or a literal makes it (not a Date, a Buffer, a class instance). */
export function isPlainMap(value: unknown): value is JsonMap {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Sets a field of a copy; JSON.parse makes `__proto__` an own key, which plain assignment would take as the prototype. */
export function setField(map: JsonMap, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

const noKeys: ReadonlySet<string> = new Set();

/**
 * A deep copy of JSON data (plain maps, arrays, scalars), several times faster than structuredClone for the
 * objects a list returns; anything else (a Date from YAML, say) is copied by structuredClone.
 */
export function copyJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  if (!isPlainMap(value)) return structuredClone(value);
  return copyWithout(value, noKeys) as T;
}

/** A deep copy of a plain map without the keys in `omitted`. */
export function copyWithout(map: JsonMap, omitted: ReadonlySet<string>): JsonMap {
  const copy: JsonMap = {};
  // for...in is the fastest walk of a map's keys; a plain map inherits no enumerable ones.
  for (const key in map) if (!omitted.has(key)) setField(copy, key, copyJson(map[key]));
  return copy;
}

/**
 * Whether two values have the same JSON, key order aside (keys whose value is undefined are not in JSON); unlike
 * deepEqual, values that are not plain data (a Date) compare as JSON spells them. Faster than canonical JSON.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameJson(item ?? null, b[i] ?? null));
  if (isPlainMap(a) && isPlainMap(b)) return sameEntries(a, b);
  // Two different strings are two different JSON strings; other scalars, and anything that is not plain data, as
  // JSON spells them.
  if (typeof a === 'string' && typeof b === 'string') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameEntries(a: JsonMap, b: JsonMap): boolean {
  let count = 0;
  for (const key in a) {
    if (a[key] === undefined) continue;
    if (!sameJson(a[key], Object.hasOwn(b, key) ? b[key] : undefined)) return false;
    count++;
  }
  for (const key in b) if (b[key] !== undefined) count--;
  return count === 0;
}
