// A fast path for serializeObject: the same bytes as js-yaml's `dump(object, { lineWidth: -1, noRefs: true })`
// for JSON data, in a fraction of the time (js-yaml builds and styles an AST node per value, most of a
// snapshot's CPU). The block layout (two-space indent, `- ` items inline) is written here, in one pass onto
// one string; how a scalar is spelled (plain, quoted, literal block) is js-yaml's own decision, asked once per
// distinct value and remembered, except for the common identifier-like strings that are plain in every context.
// Anything else (an empty-line-ended block scalar, a multi-line or huge key, a value that is not JSON) returns
// undefined and the caller uses js-yaml for the whole object. test/layout/yaml-writer.test.ts compares both on
// many inputs.
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
/** How js-yaml spells a key. Keys repeat from object to object, so even plain ones are looked up, not tested. */
const keyCache = new Map<string, string | null>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function isSurePlain(text: string): boolean {
  return text.length >= SHORTEST_SURE_PLAIN && PLAIN_IDENTIFIER.test(text);
}

function valueText(value: string | number | boolean | null): string | null {
  const known = valueCache.get(value);
  if (known !== undefined) return known;
  const text = dump({ k: value }, options).slice(3, -1);
  // A block scalar ending in an empty line leaves the document open-ended (js-yaml appends `...`).
  const openEnded = typeof value === 'string' && (value === '\n' || value.endsWith('\n\n'));
  return remember(valueCache, value, openEnded ? null : text);
}

function keyText(key: string): string | null {
  const known = keyCache.get(key);
  if (known !== undefined) return known;
  if (key.length <= LONGEST_SIMPLE_KEY && isSurePlain(key)) return remember(keyCache, key, key);
  const text = dump({ [key]: 0 }, options);
  // Multi-line keys too.
  const simple =
    !key.includes('\n') && key.length <= LONGEST_SIMPLE_KEY && text.endsWith(': 0\n') && !text.startsWith('? ');
  return remember(keyCache, key, simple ? text.slice(0, -4) : null);
}

class NotPlainData extends Error {}

function isPlainMap(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const lineStarts: string[] = [];

/** A line break and the indent of `level` (two spaces a level). */
function newLine(level: number): string {
  return (lineStarts[level] ??= `\n${'  '.repeat(level)}`);
}

/** Writes js-yaml's block layout (writeBlockMapping, writeBlockSequence) onto one string. */
class BlockWriter {
  text = '';

  /** The entries of a map at `level`; `compact`: the first one continues the current line (a list item). */
  mapping(map: Record<string, unknown>, keys: readonly string[], level: number, compact: boolean): void {
    for (let i = 0; i < keys.length; i++) {
      const field = map[keys[i]];
      if (field === undefined) throw new NotPlainData();
      const spelledKey = keyText(keys[i]);
      if (spelledKey === null) throw new NotPlainData();
      if (!compact || i > 0) this.text += newLine(level);
      this.text += spelledKey;
      this.entryValue(field, level + 1, false, ':', ': ');
    }
  }

  /** The items of a non-empty list at `level`. */
  sequence(list: readonly unknown[], level: number, compact: boolean): void {
    for (let i = 0; i < list.length; i++) {
      if (!(i in list)) throw new NotPlainData();
      if (!compact || i > 0) this.text += newLine(level);
      // An item's collection always starts on the `- ` line, so the separator is always `- `.
      this.entryValue(list[i], level + 1, true, '- ', '- ');
    }
  }

  /**
   * What follows a key or a dash. js-yaml drops the space after `:` when the value starts on the next line, which
   * is exactly a non-empty collection under a key (no scalar text starts with a line break); `compact` collections
   * (list items) start on the current line.
   */
  private entryValue(value: unknown, level: number, compact: boolean, beforeBlock: string, beforeInline: string): void {
    if (Array.isArray(value)) {
      if (value.length === 0) this.text += `${beforeInline}[]`;
      else {
        this.text += beforeBlock;
        this.sequence(value, level, compact);
      }
    } else if (value !== null && typeof value === 'object') {
      if (!isPlainMap(value)) throw new NotPlainData();
      const keys = Object.keys(value);
      if (keys.length === 0) this.text += `${beforeInline}{}`;
      else {
        this.text += beforeBlock;
        this.mapping(value, keys, level, compact);
      }
    } else {
      this.text += beforeInline;
      this.text += scalarText(value, level);
    }
  }
}

/** How js-yaml spells a scalar, with a block scalar's continuation lines indented for `level`. */
function scalarText(value: unknown, level: number): string {
  if (typeof value === 'string' && isSurePlain(value)) return value;
  if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    throw new NotPlainData();
  // The cache's keys cannot tell -0 from 0.
  if (Object.is(value, -0)) throw new NotPlainData();
  const text = valueText(value);
  if (text === null) throw new NotPlainData();
  return level === 1 || !text.includes('\n') ? text : text.replaceAll('\n  ', newLine(level));
}

/**
 * The YAML document js-yaml would write for this mapping with its top-level keys in the order of `keys`, or
 * undefined when only js-yaml itself should write it.
 */
export function writeYamlMapping(
  object: Record<string, unknown>,
  keys: readonly string[] = Object.keys(object),
): string | undefined {
  if (keys.length === 0) return '{}\n';
  const writer = new BlockWriter();
  try {
    writer.mapping(object, keys, 0, true);
  } catch (error) {
    if (error instanceof NotPlainData) return undefined;
    throw error;
  }
  return `${writer.text}\n`;
}
