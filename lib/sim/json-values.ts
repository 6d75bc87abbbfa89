// Objects as the simulator holds them are plain JSON data (maps, lists, scalars), now and then with a value
// YAML made (a Date): copying and comparing them by hand is several times faster than structuredClone and
// canonical JSON, with the same results.

/** A deep copy, as structuredClone makes it for plain data (values that are not plain data are structuredCloned). */
export function copyJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyJson) as T;
  if (isPlainMap(value)) {
    const copy: Record<string, unknown> = {};
    for (const key in value) copy[key] = copyJson(value[key]);
    return copy as T;
  }
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}

/** Whether two values have the same JSON, key order aside (keys whose value is undefined are not in JSON). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameJson(item ?? null, b[i] ?? null));
  if (isPlainMap(a) && isPlainMap(b)) return sameEntries(a, b);
  // Two different strings are two different JSON strings; other scalars, and anything that is not plain data
  // (a Date), as JSON spells them.
  if (typeof a === 'string' && typeof b === 'string') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameEntries(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  let count = 0;
  for (const key in a) {
    if (a[key] === undefined) continue;
    if (!sameJson(a[key], b[key])) return false;
    count++;
  }
  for (const key in b) if (b[key] !== undefined) count--;
  return count === 0;
}

export function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
