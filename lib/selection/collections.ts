// Which (resource, namespace) collections a selection covers, and which objects inside them are in
// scope. Snapshot and watch both decide it here, so a watch covers exactly what a snapshot does.
import { qualifiedResourceName, type ApiResource } from '../kube/discovery.ts';
import { resourceSkipReason, type KubeObject, type NormalizeOptions, type SkipReason } from '../normalize/index.ts';
import type { Selection } from './index.ts';
import { namedNamespaces } from './namespaces.ts';

/** One collection to read: a resource, in one namespace or (undefined) in all of them. */
export interface Collection {
  resource: ApiResource;
  namespace?: string;
}

export interface SelectedCollections {
  collections: Collection[];
  /** Kinds left out per reason (kind-level policy), as qualified resource names. */
  skippedKinds: Map<SkipReason, string[]>;
}

export function isNamespacesResource(resource: Pick<ApiResource, 'group' | 'resource'>): boolean {
  return resource.group === '' && resource.resource === 'namespaces';
}

/**
 * The collections to list (or watch) for a selection: every selected kind the skip policy keeps (a
 * kind named with --include is kept if it can be listed), one collection per -n namespace for
 * namespaced kinds (all namespaces at once when -n has a glob). With -n, cluster-scoped kinds are out of
 * scope except the Namespace objects.
 */
export function selectCollections(selection: Selection, normalize: NormalizeOptions = {}): SelectedCollections {
  const skippedKinds = new Map<SkipReason, string[]>();
  const onlySomeNamespaces = Boolean(selection.options.namespaces?.length);
  const named = namedNamespaces(selection.options);
  const collections: Collection[] = [];
  for (const resource of selection.resources) {
    const name = qualifiedResourceName(resource);
    const reason = resourceSkipReason(resource, normalize);
    if (reason && !(selection.explicitlyIncluded.has(name) && resource.verbs.includes('list'))) {
      skippedKinds.set(reason, [...(skippedKinds.get(reason) ?? []), name]);
      continue;
    }
    if (!resource.namespaced && onlySomeNamespaces && !isNamespacesResource(resource)) continue;
    if (resource.namespaced && named) collections.push(...named.map((namespace) => ({ resource, namespace })));
    else collections.push({ resource });
  }
  return { collections, skippedKinds };
}

/** Whether an object of a listed collection is inside the selected namespaces (--exclude-namespace, and -n for Namespace objects). */
export function objectInSelectedNamespaces(
  object: { metadata: Pick<KubeObject['metadata'], 'namespace' | 'name'> },
  resource: ApiResource,
  selection: Selection,
): boolean {
  if (resource.namespaced) return selection.namespaceSelected(object.metadata.namespace);
  if (isNamespacesResource(resource)) return selection.namespaceSelected(object.metadata.name);
  return true;
}

/**
 * Whether an object of the repository, known by its path's identity, is inside the selected namespaces: a Namespace
 * by its name, a namespaced object by its namespace, any other cluster-scoped object only when those are covered (as
 * in a snapshot, -n leaves them out: they are shared with everything else in the cluster).
 */
export function identityInSelectedNamespaces(
  identity: { group: string; resource: string; namespace?: string; name: string },
  selection: Pick<Selection, 'namespaceSelected'>,
  clusterScoped: boolean,
): boolean {
  if (isNamespacesResource(identity)) return selection.namespaceSelected(identity.name);
  if (identity.namespace === undefined) return clusterScoped;
  return selection.namespaceSelected(identity.namespace);
}
