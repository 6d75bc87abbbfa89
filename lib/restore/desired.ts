// The objects of a revision that a restore covers: read from the repository, filtered as a snapshot
// filters, each resolved to the resource it is written through and moved by --namespace-map.
import picomatch from 'picomatch';
import { qualifiedResourceName, type ApiResource } from '../kube/index.ts';
import { identityMismatch, ManifestError, parseObject, parseObjectPath, type ObjectIdentity } from '../layout/index.ts';
import { objectSkipReason, resourceSkipReason, type KubeObject, type NormalizeOptions } from '../normalize/index.ts';
import { isEncryptedSecret, openSecret, SecretDecryptionError } from '../secrets/index.ts';
import { identityInSelectedNamespaces, isNamespacesResource, type Selection } from '../selection/index.ts';
import type { SnapshotRepository } from '../store/index.ts';
import { rewriteImageReferences, type ImageRegistryMapping } from '../images/index.ts';
import { mapNamespaces } from './namespace-map.ts';
import { requireFiltersMatch } from './unmatched-filter.ts';

export interface DesiredObject {
  path: string;
  identity: ObjectIdentity;
  /** Where it is written (identity after --namespace-map). */
  target: ObjectIdentity;
  resource?: ApiResource;
  /** The manifest to restore, namespaces mapped; undefined when `problem` says why it cannot be. */
  object?: KubeObject;
  problem?: string;
}

export interface DesiredOptions {
  repository: SnapshotRepository;
  commit: string;
  /** `HEAD (1a2b3c4)`: how errors name the revision. */
  revisionLabel: string;
  served: readonly ApiResource[];
  selection: Selection;
  normalize: NormalizeOptions;
  paths?: string[];
  prefix?: string;
  namespaceMap: ReadonlyMap<string, string>;
  /** Cluster-scoped objects other than Namespaces are covered (see coversClusterScoped). */
  clusterScoped: boolean;
  imageRegistryMap?: ReadonlyArray<ImageRegistryMapping>;
  /** age identities (`--age-identity`) that decrypt encrypted Secret values; without them such Secrets stay encrypted (and are blocked). */
  ageIdentities?: readonly string[];
}

const resourceKey = (group: string, resource: string) => `${resource}.${group}`;

/**
 * Which cluster-scoped objects a restore covers besides Namespaces: all of them unless it is narrowed
 * to namespaces (-n, --namespace-map), where they are shared with everything else in the cluster and
 * come only when asked for (--include-cluster-scoped, -A).
 */
export function coversClusterScoped(
  selection: Selection,
  namespaceMap: ReadonlyMap<string, string>,
  includeClusterScoped: boolean | undefined,
): boolean {
  return Boolean(includeClusterScoped) || (!selection.options.namespaces?.length && namespaceMap.size === 0);
}

/** Is this repository path inside the selection (namespaces, path globs)? Kinds and labels are checked later. */
export function pathSelector(
  selection: Selection,
  paths: readonly string[] | undefined,
  prefix: string | undefined,
  clusterScoped: boolean,
): (path: string) => ObjectIdentity | undefined {
  const globMatches = paths?.length ? picomatch([...paths], { dot: true }) : () => true;
  return (path) => {
    const identity = parseObjectPath(path, prefix);
    return identity && globMatches(path) && identityInSelectedNamespaces(identity, selection, clusterScoped)
      ? identity
      : undefined;
  };
}

/** A custom resource the revision defines with a CRD the cluster does not serve yet. */
function resourceFromCrd(crd: KubeObject): ApiResource | undefined {
  const spec = crd.spec as
    | {
        group?: string;
        scope?: string;
        names?: { plural?: string; singular?: string; kind?: string; shortNames?: string[]; categories?: string[] };
        versions?: Array<{ name: string; served?: boolean; storage?: boolean }>;
      }
    | undefined;
  const version = spec?.versions?.find((v) => v.storage) ?? spec?.versions?.find((v) => v.served !== false);
  if (!spec?.group || !spec.names?.plural || !spec.names.kind || !version) return undefined;
  return {
    group: spec.group,
    version: version.name,
    resource: spec.names.plural,
    kind: spec.names.kind,
    singularName: spec.names.singular ?? spec.names.kind.toLowerCase(),
    namespaced: spec.scope !== 'Cluster',
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: spec.names.shortNames ?? [],
    categories: spec.names.categories ?? [],
  };
}

function mapIdentity(identity: ObjectIdentity, map: ReadonlyMap<string, string>): ObjectIdentity {
  const rename = (name: string | undefined) => (name !== undefined && map.has(name) ? map.get(name)! : name);
  if (isNamespacesResource(identity)) return { ...identity, name: rename(identity.name)! };
  return { ...identity, namespace: rename(identity.namespace) };
}

/** The manifest at `identity`'s path, checked against its path (and, once the resource is known, its kind and scope). */
function parseManifest(
  bytes: Buffer,
  identity: ObjectIdentity,
  resource: ApiResource | undefined,
): { object?: KubeObject; problem?: string } {
  let object: KubeObject;
  try {
    object = parseObject(bytes) as KubeObject;
  } catch (error) {
    if (error instanceof ManifestError) return { problem: error.message.replace(/^The manifest/, 'its manifest') };
    throw error;
  }
  const problem = identityMismatch(
    object,
    identity,
    resource && { kind: resource.kind, namespaced: resource.namespaced },
  );
  if (problem) return { problem };
  if (resource?.namespaced) object.metadata.namespace = identity.namespace;
  return { object };
}

/** A Secret committed with encrypted values, decrypted to what it was in the cluster. */
async function decrypted(
  object: KubeObject,
  resource: ApiResource,
  identities: readonly string[],
): Promise<{ object?: KubeObject; problem?: string }> {
  if (resource.group !== '' || resource.kind !== 'Secret' || !isEncryptedSecret(object)) return { object };
  try {
    return { object: await openSecret(object, identities) };
  } catch (error) {
    if (error instanceof SecretDecryptionError) return { problem: error.message };
    throw error;
  }
}

/** Every object of the revision inside the selection, in path order. */
export async function readDesiredObjects(options: DesiredOptions): Promise<DesiredObject[]> {
  const { repository, selection } = options;
  const served = new Map(options.served.map((r) => [resourceKey(r.group, r.resource), r]));
  const selectedKinds = new Set(selection.resources.map(qualifiedResourceName));
  const selectPath = pathSelector(selection, options.paths, options.prefix, options.clusterScoped);
  const files = [...(await repository.readFiles(options.commit))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  const candidates: Array<{ path: string; identity: ObjectIdentity; bytes: Buffer }> = [];
  const objects: Array<{ path: string; identity: ObjectIdentity }> = [];
  for (const [path, blob] of files) {
    const identity = parseObjectPath(path, options.prefix);
    if (identity) objects.push({ path, identity });
    if (identity && selectPath(path)) candidates.push({ path, identity, bytes: await repository.readBlob(blob) });
  }
  // CRDs in the revision define resources an empty cluster does not serve yet.
  const defined = new Map<string, ApiResource>();
  for (const candidate of candidates) {
    if (
      candidate.identity.group !== 'apiextensions.k8s.io' ||
      candidate.identity.resource !== 'customresourcedefinitions'
    )
      continue;
    const { object } = parseManifest(candidate.bytes, candidate.identity, undefined);
    const resource = object && resourceFromCrd(object);
    if (resource) defined.set(resourceKey(resource.group, resource.resource), resource);
  }

  const desired: DesiredObject[] = [];
  for (const { path, identity, bytes } of candidates) {
    const key = resourceKey(identity.group, identity.resource);
    const servedResource = served.get(key);
    if (servedResource) {
      if (!selectedKinds.has(qualifiedResourceName(servedResource))) continue;
      const explicitlyIncluded = selection.explicitlyIncluded.has(qualifiedResourceName(servedResource));
      if (resourceSkipReason(servedResource, options.normalize) && !explicitlyIncluded) continue;
    } else if (selection.kindsRestricted) continue;
    const resource = servedResource ?? defined.get(key);
    const target = mapIdentity(identity, options.namespaceMap);
    if (!resource) {
      desired.push({
        path,
        identity,
        target,
        problem: `the cluster does not serve ${qualifiedResourceName(identity)} and the revision has no CustomResourceDefinition for it.`,
      });
      continue;
    }
    const parsed = parseManifest(bytes, identity, resource);
    const { object, problem } =
      parsed.object && options.ageIdentities?.length
        ? await decrypted(parsed.object, resource, options.ageIdentities)
        : parsed;
    if (!object) {
      desired.push({ path, identity, target, resource, problem });
      continue;
    }
    if (selection.labelSelector && !selection.labelSelector.matches(object.metadata.labels)) continue;
    if (objectSkipReason(object, resource, options.normalize)) continue;
    const mapped = mapNamespaces(object, resource, options.namespaceMap);
    desired.push({
      path,
      identity,
      target,
      resource,
      object: options.imageRegistryMap?.length ? rewriteImageReferences(mapped, options.imageRegistryMap) : mapped,
    });
  }
  requireFiltersMatch(
    { label: options.revisionLabel, objects, served: options.served },
    selection,
    options.paths,
    options.namespaceMap,
    desired.length,
  );
  return desired;
}
