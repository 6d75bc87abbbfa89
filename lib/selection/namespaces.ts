// `-n` takes names and globs (`-n shop,payments`, `-n 'team-*'`), `--exclude-namespace` globs, as Velero's
// --include-namespaces/--exclude-namespaces do.
import picomatch from 'picomatch';
import { UsageError } from '../errors/index.ts';
import type { SelectionOptions } from './index.ts';

const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const GLOB_CHARACTER = /[*?[\]]/;
// What a glob over namespace names can hold: their characters and `* ? [a-z] [!a-z]` (a comma separates globs).
const NAMESPACE_GLOB = /^[-a-z0-9*?[\]!]+$/;

function isGlob(pattern: string): boolean {
  return GLOB_CHARACTER.test(pattern);
}

function checkNamespacePattern(pattern: string, flag: string): void {
  if (isGlob(pattern) ? NAMESPACE_GLOB.test(pattern) : NAMESPACE_NAME.test(pattern) && pattern.length <= 63) return;
  throw new UsageError(
    `${flag} "${pattern}" is not a valid namespace name or glob (lower-case letters, digits and '-'; globs with * ? [...]).`,
  );
}

/**
 * The namespaces to read one at a time when every -n value is a name; undefined when there is no -n or a glob
 * is among them, so every namespace is read and `namespaceMatcher` picks.
 */
export function namedNamespaces(options: SelectionOptions): string[] | undefined {
  const patterns = options.namespaces ?? [];
  return patterns.length > 0 && !patterns.some(isGlob) ? patterns : undefined;
}

/** `-n` and `--exclude-namespace` as a predicate; undefined (cluster-scoped) is always selected. */
export function namespaceMatcher(options: SelectionOptions): (namespace: string | undefined) => boolean {
  for (const pattern of options.namespaces ?? []) checkNamespacePattern(pattern, '-n');
  for (const pattern of options.excludeNamespaces ?? []) checkNamespacePattern(pattern, '--exclude-namespace');
  const included = options.namespaces?.length ? picomatch(options.namespaces) : () => true;
  const excluded = options.excludeNamespaces?.length ? picomatch(options.excludeNamespaces) : () => false;
  return (namespace) => namespace === undefined || (included(namespace) && !excluded(namespace));
}
