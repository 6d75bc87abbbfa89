import { qualifiedResourceName, type ApiResource } from '../kube/discovery.ts';
import { resolveResourceSpelling } from '../kube/resource-names.ts';
import { parseLabelSelector, type LabelSelector } from './label-selector.ts';
import { namespaceMatcher } from './namespaces.ts';

export { type LabelSelector } from './label-selector.ts';
export { namespaceMatcher, namedNamespaces } from './namespaces.ts';
export {
  selectCollections,
  objectInSelectedNamespaces,
  identityInSelectedNamespaces,
  isNamespacesResource,
  type Collection,
} from './collections.ts';

/** What the user asked to cover, in kubectl's spellings: shared by snapshot, watch, diff and restore. */
export interface SelectionOptions {
  /** -n/--namespace: names or globs, repeatable; empty means all namespaces. */
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
  const resolveAll = (spellings: string[] = []) =>
    new Set(spellings.flatMap((s) => resolveResourceSpelling(served, s)).map(qualifiedResourceName));
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
