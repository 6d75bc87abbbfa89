// Reading one manifest from the snapshot repository, which anyone who can push to it controls. The
// cost of a file is bounded by its size: YAML aliases are refused (kubesnap never writes them, and a
// kilobyte of nested anchors expands to gigabytes once anything walks the result), nesting is capped,
// and a file larger than any object the API server accepts is refused before it is parsed.
import { load, loadAll, YAMLException } from 'js-yaml';
import { ManifestError, ManifestLimitError } from './manifest-error.ts';

/** The API server takes request bodies of at most 3 MiB; this leaves room for YAML's indentation. */
export const maxManifestBytes = 8 * 1024 * 1024;
/** Deeper than any object Kubernetes serves (a CRD's schema included), far below what recursion can take. */
export const maxManifestDepth = 256;

function sizeOf(source: Buffer | string): number {
  return typeof source === 'string' ? Buffer.byteLength(source) : source.length;
}

/** js-yaml's `(line:column)` suffix, as ` (line N)`. */
function lineOf(error: YAMLException): string {
  const match = /\((\d+):\d+\)/.exec(error.message);
  return match ? ` (line ${match[1]})` : '';
}

function limitBroken(error: unknown, subject: string): ManifestLimitError | undefined {
  if (!(error instanceof YAMLException)) return undefined;
  if (/maxAliases/.test(error.message)) {
    return new ManifestLimitError(
      `${subject} uses a YAML alias${lineOf(error)}, which kubesnap never writes: refused, as an alias can expand to gigabytes.`,
      { cause: error },
    );
  }
  if (/maxDepth/.test(error.message)) {
    return new ManifestLimitError(`${subject} nests deeper than ${maxManifestDepth} levels${lineOf(error)}: refused.`, {
      cause: error,
    });
  }
  return undefined;
}

/** js-yaml's `load` or `loadAll` of `text` under the alias and depth bounds, its errors as ManifestErrors naming `subject`. */
function loadBounded<T>(
  text: string,
  subject: string,
  loader: (text: string, options: { maxAliases: number; maxDepth: number }) => T,
): T {
  try {
    return loader(text, { maxAliases: 0, maxDepth: maxManifestDepth });
  } catch (error) {
    const broken = limitBroken(error, subject);
    if (broken) throw broken;
    const reason = error instanceof YAMLException ? error.message.split('\n')[0] : String(error);
    throw new ManifestError(`${subject} is not valid YAML: ${reason}.`, { cause: error });
  }
}

/**
 * One YAML mapping from a file's bytes. `path` names the file in every error; without it the error
 * says "The manifest". Throws ManifestLimitError for a file that breaks a bound (size, alias, depth)
 * and ManifestError for one that is not one YAML mapping.
 */
export function parseObject(source: Buffer | string, path?: string): object {
  const subject = path === undefined ? 'The manifest' : `The manifest ${path}`;
  const size = sizeOf(source);
  if (size > maxManifestBytes) {
    throw new ManifestLimitError(
      `${subject} is ${size} bytes, more than the ${maxManifestBytes / (1024 * 1024)} MiB any Kubernetes object's file can be: refused.`,
    );
  }
  const value = loadBounded(typeof source === 'string' ? source : source.toString('utf8'), subject, load);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ManifestError(`${subject} is not one YAML mapping (an object with apiVersion, kind and metadata).`);
  }
  return value;
}

/**
 * Every document of a YAML stream (`---`-separated; JSON is one document), under the same alias and depth
 * bounds, and `maxBytes` for the whole stream. Empty documents come back as null; `subject` names the
 * source in errors ("The input from stdin").
 */
export function parseDocuments(source: Buffer | string, subject: string, maxBytes: number): unknown[] {
  if (sizeOf(source) > maxBytes)
    throw new ManifestLimitError(
      `${subject} is larger than the ${maxBytes / (1024 * 1024)} MiB kubesnap reads at once: refused.`,
    );
  return loadBounded(typeof source === 'string' ? source : source.toString('utf8'), subject, (text, options) =>
    loadAll(text, null, options),
  );
}
