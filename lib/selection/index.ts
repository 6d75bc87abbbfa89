import picomatch from 'picomatch';
import { UsageError } from '../errors/index.ts';
import { qualifiedResourceName, type ApiResource } from '../kube/discovery.ts';
import { resolveResourceSpelling } from '../kube/resource-names.ts';
import { parseLabelSelector, type LabelSelector } from './label-selector.ts';

export { parseLabelSelector, type LabelSelector } from './label-selector.ts';
export { selectCollections, objectInSelectedNamespaces, isNamespacesResource, type Collection, type SelectedCollections } from './collections.ts';

/** What the user asked to cover, in kubectl's spellings: shared by snapshot, watch, diff and restore. */
export interface SelectionOptions {
  /** -n/--namespace, repeatable; empty means all namespaces. */
  namespaces?: string[];
  /** --exclude-namespace, globs. */
  excludeNamespaces?: string[];
  /** --include kinds; empty means every kind. */
  include?: string[];
  /** --exclude kinds. */
  exclude?: string[];
  /** -l/--selector. */
  labelSelector?: string;
}

export interface Selection {
  options: SelectionOptions;
  /** Resources explicitly named with --include (they bypass kind-level skip policies). */
  explicitlyIncluded: Set<string>;
  resources: ApiResource[];
  namespaceSelected(namespace: string | undefined): boolean;
  labelSelector?: LabelSelector;
  /** True when some kinds were left out by --include/--exclude (so unlisted kinds are not "gone"). */
  kindsRestricted: boolean;
}

/** Resolves the user's kind spellings against discovery and builds the namespace and label matchers. */
export function resolveSelection(served: readonly ApiResource[], options: SelectionOptions): Selection {
  const resolveAll = (spellings: string[] = []) => new Set(spellings.flatMap((s) => resolveResourceSpelling(served, s)).map(qualifiedResourceName));
  const included = resolveAll(options.include);
  const excluded = resolveAll(options.exclude);
  const resources = served.filter((r) => {
    const name = qualifiedResourceName(r);
    return (included.size === 0 || included.has(name)) && !excluded.has(name);
  });
  return {
    options,
    explicitlyIncluded: included,
    resources,
    namespaceSelected: namespaceMatcher(options),
    labelSelector: options.labelSelector ? parseLabelSelector(options.labelSelector) : undefined,
    kindsRestricted: included.size > 0 || excluded.size > 0,
  };
}

/** `-n` and `--exclude-namespace` as a predicate; undefined (cluster-scoped) is always selected. */
export function namespaceMatcher(options: SelectionOptions): (namespace: string | undefined) => boolean {
  const only = new Set(options.namespaces ?? []);
  const excluded = (options.excludeNamespaces ?? []).map((glob) => picomatch(glob));
  for (const name of only) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) throw new UsageError(`"${name}" is not a valid namespace name.`);
  }
  return (namespace) => {
    if (namespace === undefined) return true;
    if (only.size > 0 && !only.has(namespace)) return false;
    return !excluded.some((isMatch) => isMatch(namespace));
  };
}
