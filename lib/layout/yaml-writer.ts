// A fast path for serializeObject: the same bytes as js-yaml's `dump(object, { lineWidth: -1, noRefs: true })`
// for JSON data, in a fraction of the time (js-yaml builds and styles an AST node per value, most of a
// snapshot's CPU). The block layout (two-space indent, `- ` items inline) is written here; how a scalar is
// spelled (plain, quoted, literal block) is js-yaml's own decision, asked once per distinct value and
// remembered, except for the common identifier-like strings that are plain in every context. Anything else
// (an empty-line-ended block scalar, a multi-line or huge key, a value that is not JSON) returns undefined and
// the caller uses js-yaml for the whole object. test/layout/yaml-writer.test.ts compares both on many inputs.
import { dump } from 'js-yaml';

const options = { lineWidth: -1, noRefs: true };

/**
 * A letter first, then words of letters, digits and `._/@+=,()-` joined by one `:` or one space: plain in YAML
 * 1.1 and 1.2, as key or value (no `: `, ` #`, leading indicator, trailing separator, tab or non-ASCII).
 */
const SAFE_CHAR = '[A-Za-z0-9._/@+=,()-]';
const PLAIN_IDENTIFIER = new RegExp(`^[A-Za-z]${SAFE_CHAR}*(?:[: ]${SAFE_CHAR}+)*$`);
/** Up to five letters may be a YAML 1.1 bool or null (`y`, `No`, `off`, `TRUE`, `null`): js-yaml decides. */
const SHORTEST_SURE_PLAIN = 6;
/** Longer keys are written as explicit `? ` pairs. */
const LONGEST_SIMPLE_KEY = 1024;
const CACHE_LIMIT = 50_000;

/** How js-yaml spells a scalar as a mapping value at level 1; continuation lines carry a two-space indent. */
const valueCache = new Map<unknown, string | null>();
const keyCache = new Map<string, string | null>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function valueText(value: string | number | boolean | null): string | null {
  if (typeof value === 'string' && value.length >= SHORTEST_SURE_PLAIN && PLAIN_IDENTIFIER.test(value)) return value;
  const known = valueCache.get(value);
  if (known !== undefined) return known;
  const text = dump({ k: value }, options).slice(3, -1);
  // A block scalar ending in an empty line leaves the document open-ended (js-yaml appends `...`).
  const openEnded = typeof value === 'string' && (value === '\n' || value.endsWith('\n\n'));
  return remember(valueCache, value, openEnded ? null : text);
}

function keyText(key: string): string | null {
  if (key.length >= SHORTEST_SURE_PLAIN && key.length <= LONGEST_SIMPLE_KEY && PLAIN_IDENTIFIER.test(key)) return key;
  const known = keyCache.get(key);
  if (known !== undefined) return known;
  const text = dump({ [key]: 0 }, options);
  // Multi-line keys too.
  const simple = !key.includes('\n') && key.length <= LONGEST_SIMPLE_KEY && text.endsWith(': 0\n') && !text.startsWith('? ');
  return remember(keyCache, key, simple ? text.slice(0, -4) : null);
}

class NotPlainData extends Error {}

function isPlainMap(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function scalar(value: unknown, level: number): string {
  if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw new NotPlainData();
  // The cache's keys cannot tell -0 from 0.
  if (Object.is(value, -0)) throw new NotPlainData();
  const text = valueText(value);
  if (text === null) throw new NotPlainData();
  return level === 1 || !text.includes('\n') ? text : text.replaceAll('\n  ', `\n${'  '.repeat(level)}`);
}

/** js-yaml's writeNode for block collections (compact: the first entry continues the current line). */
function node(value: unknown, level: number, compact: boolean): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    let text = '';
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new NotPlainData();
      const item = node(value[i], level + 1, true);
      if (!compact || text !== '') text += `\n${'  '.repeat(level)}`;
      text += item === '' || item.charCodeAt(0) === 10 ? `-${item}` : `- ${item}`;
    }
    return text;
  }
  if (value !== null && typeof value === 'object') {
    if (!isPlainMap(value)) throw new NotPlainData();
    let text = '';
    for (const key of Object.keys(value)) {
      const field = value[key];
      if (field === undefined) throw new NotPlainData();
      const spelledKey = keyText(key);
      if (spelledKey === null) throw new NotPlainData();
      if (!compact || text !== '') text += `\n${'  '.repeat(level)}`;
      const fieldText = node(field, level + 1, false);
      text += fieldText === '' || fieldText.charCodeAt(0) === 10 ? `${spelledKey}:${fieldText}` : `${spelledKey}: ${fieldText}`;
    }
    return text === '' ? '{}' : text;
  }
  return scalar(value, level);
}

/** The YAML document js-yaml would write for this mapping, or undefined when only js-yaml itself should write it. */
export function writeYamlMapping(object: Record<string, unknown>): string | undefined {
  try {
    return `${node(object, 0, true)}\n`;
  } catch (error) {
    if (error instanceof NotPlainData) return undefined;
    throw error;
  }
}
