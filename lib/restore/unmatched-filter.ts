// A filter that matches nothing in the revision is a mistake (a typo in a namespace, a glob of the
// wrong folder), not a request to restore nothing: said in one sentence instead of an empty plan.
import picomatch from 'picomatch';
import { UsageError } from '../errors/index.ts';
import { resolveResourceSpelling, type ApiResource } from '../kube/index.ts';
import type { ObjectIdentity } from '../layout/index.ts';
import { isNamespacesResource, namespaceMatcher, type Selection } from '../selection/index.ts';

export interface RevisionContents {
  /** `HEAD (1a2b3c4)`: how the sentence names the revision. */
  label: string;
  /** Every object file of the revision with the identity its path gives. */
  objects: ReadonlyArray<{ path: string; identity: ObjectIdentity }>;
  served: readonly ApiResource[];
}

function namespaceOf(identity: ObjectIdentity): string | undefined {
  return isNamespacesResource(identity) ? identity.name : identity.namespace;
}

function hasFilters(
  selection: Selection,
  paths: readonly string[] | undefined,
  namespaceMap: ReadonlyMap<string, string>,
): boolean {
  const { options } = selection;
  return (
    namespaceMap.size > 0 ||
    [options.namespaces, options.excludeNamespaces, options.include, options.exclude, paths].some((list) =>
      Boolean(list?.length),
    ) ||
    Boolean(options.labelSelector)
  );
}

/** The first filter value that matches no object of the revision, as its flag spells it. */
function firstUnmatched(
  revision: RevisionContents,
  selection: Selection,
  paths: readonly string[] | undefined,
  namespaceMap: ReadonlyMap<string, string>,
): string | undefined {
  const hasNamespace = (namespace: string) =>
    revision.objects.some(({ identity }) => namespaceOf(identity) === namespace);
  for (const [from, to] of namespaceMap) if (!hasNamespace(from)) return `--namespace-map ${from}=${to}`;
  for (const pattern of selection.options.namespaces ?? []) {
    const matches = namespaceMatcher({ namespaces: [pattern] });
    if (!revision.objects.some(({ identity }) => namespaceOf(identity) !== undefined && matches(namespaceOf(identity))))
      return `-n ${pattern}`;
  }
  for (const glob of paths ?? []) {
    const matches = picomatch(glob, { dot: true });
    if (!revision.objects.some(({ path }) => matches(path))) return `--path '${glob}'`;
  }
  for (const spelling of selection.options.include ?? []) {
    const kinds = resolveResourceSpelling(revision.served, spelling);
    if (
      !revision.objects.some(({ identity }) =>
        kinds.some((kind) => kind.group === identity.group && kind.resource === identity.resource),
      )
    )
      return `--include ${spelling}`;
  }
  return undefined;
}

/** Throws when a filter value matches nothing in the revision, or all of them together select nothing (`selected` objects). */
export function requireFiltersMatch(
  revision: RevisionContents,
  selection: Selection,
  paths: readonly string[] | undefined,
  namespaceMap: ReadonlyMap<string, string>,
  selected: number,
): void {
  if (!hasFilters(selection, paths, namespaceMap)) return;
  const unmatched = firstUnmatched(revision, selection, paths, namespaceMap);
  if (unmatched)
    throw new UsageError(`${unmatched} matches nothing in ${revision.label}, so there is nothing to restore.`);
  if (selected === 0)
    throw new UsageError(
      `The filters given select nothing in ${revision.label} together, so there is nothing to restore.`,
    );
}
