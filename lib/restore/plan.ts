import { mapWithConcurrency } from '../concurrency/index.ts';
import {
  discoverResources,
  isNotFound,
  listAll,
  qualifiedResourceName,
  withRetry,
  type ApiResource,
  type KubeClient,
} from '../kube/index.ts';
import { objectPath } from '../layout/index.ts';
import { normalizeObject, resourceSkipReason, type KubeObject, type NormalizeOptions } from '../normalize/index.ts';
import { withRepositoryDigestKey } from '../secrets/digest-key.ts';
import { isNamespacesResource, namedNamespaces, resolveSelection, type Selection } from '../selection/index.ts';
import { resolveRevisionSpec } from '../store/index.ts';
import { decide } from './compare.ts';
import { coversClusterScoped, pathSelector, readDesiredObjects, type DesiredObject } from './desired.ts';
import { Neighbours } from './neighbours.ts';
import { applySteps } from './order.ts';
import { objectRef } from './object-ref.ts';
import { addReferenceWarnings, referencedResourceNames, referencedResources } from './references.ts';
import type { PlannedObject, PlannedObjectInternals, RestorePlan, RestorePlanOptions } from './types.ts';

const liveKey = (group: string, resource: string, namespace: string | undefined, name: string) =>
  `${group}/${resource}/${namespace ?? ''}/${name}`;

function isAutoscalerResource(resource: Pick<ApiResource, 'group' | 'resource'>): boolean {
  return resource.group === 'autoscaling' && resource.resource === 'horizontalpodautoscalers';
}

/** Kinds a prune may delete: listable and deletable, not left out by policy, in the restore's scope. */
function prunable(
  resource: ApiResource,
  selection: Selection,
  normalize: NormalizeOptions,
  clusterScoped: boolean,
): boolean {
  if (!resource.verbs.includes('list') || !resource.verbs.includes('delete')) return false;
  if (resourceSkipReason(resource, normalize) && !selection.explicitlyIncluded.has(qualifiedResourceName(resource)))
    return false;
  return resource.namespaced || clusterScoped || isNamespacesResource(resource);
}

async function readLive(
  client: KubeClient,
  resources: ApiResource[],
  namespaces: string[] | undefined,
  concurrency: number,
  signal?: AbortSignal,
): Promise<Map<string, { resource: ApiResource; object: KubeObject }>> {
  const collections = resources.flatMap((resource) =>
    resource.namespaced && namespaces
      ? namespaces.map((namespace) => ({ resource, namespace }))
      : [{ resource, namespace: undefined as string | undefined }],
  );
  const live = new Map<string, { resource: ApiResource; object: KubeObject }>();
  await mapWithConcurrency(collections, concurrency, async ({ resource, namespace }) => {
    try {
      const list = await withRetry(() => listAll<KubeObject>(client, resource, { namespace, signal }), { signal });
      for (const object of list.items) {
        const key = liveKey(
          resource.group,
          resource.resource,
          resource.namespaced ? object.metadata.namespace : undefined,
          object.metadata.name,
        );
        live.set(key, { resource, object });
      }
    } catch (error) {
      // A kind that went away between discovery and the list: nothing of it is live.
      if (!isNotFound(error)) throw error;
    }
  });
  return live;
}

type PlannedFields = Omit<
  PlannedObject,
  'ref' | 'step' | 'fields' | 'normalizedPatch' | 'livePatch' | 'warnings' | 'internal'
> &
  Partial<Omit<PlannedObject, 'internal'>>;

/** `internal` holds live objects (a Secret's values among them): never enumerable, so never serialised by accident. */
function plannedObject(fields: PlannedFields, internal: PlannedObjectInternals): PlannedObject {
  const planned = {
    ref: objectRef(fields.kind, fields.namespace, fields.name),
    step: 0,
    fields: [],
    normalizedPatch: [],
    livePatch: [],
    warnings: [],
    ...fields,
  };
  return Object.defineProperty(planned, 'internal', { value: internal, enumerable: false }) as PlannedObject;
}

function planDesired(
  entry: DesiredObject,
  live: KubeObject | undefined,
  normalize: NormalizeOptions,
  neighbours: Neighbours,
): PlannedObject {
  const { target, resource } = entry;
  const namespace = resource?.namespaced === false ? undefined : target.namespace;
  const base = {
    path: entry.path,
    group: target.group,
    resource: target.resource,
    kind: resource?.kind ?? entry.object?.kind ?? target.resource,
    namespace,
    name: target.name,
  };
  if (!entry.object || !resource) {
    return plannedObject({ ...base, action: 'invalid', reason: entry.problem }, { resource });
  }
  return plannedObject(
    { ...base, ...decide(entry.object, live, resource, normalize, neighbours) },
    { resource, desired: entry.object, live },
  );
}

/**
 * The plan of a restore, as data: every object of the revision inside the selection compared with
 * the live one (create, update with its field changes and patches, unchanged, or why it cannot be
 * restored), and with `prune` the live objects of the selection the revision does not have.
 */
export async function planRestore(options: RestorePlanOptions): Promise<RestorePlan> {
  const { client, signal } = options;
  const normalize = await withRepositoryDigestKey(options.normalize ?? {}, options.repository.gitdir, {
    create: false,
  });
  const concurrency = options.concurrency ?? 8;
  const namespaceMap = options.namespaceMap ?? new Map<string, string>();
  const revision = await resolveRevisionSpec(options.repository, options.revision ?? 'HEAD');
  const discovery = await discoverResources(client, { signal });
  const selection = resolveSelection(discovery.resources, options.selection ?? {});
  const clusterScoped = coversClusterScoped(selection, namespaceMap, options.includeClusterScoped);
  const desired = await readDesiredObjects({
    repository: options.repository,
    commit: revision.commit,
    revisionLabel: `${revision.label} (${revision.commit.slice(0, 7)})`,
    served: discovery.resources,
    selection,
    normalize,
    paths: options.paths,
    prefix: options.prefix,
    namespaceMap,
    clusterScoped,
    ageIdentities: options.ageIdentities,
    imageRegistryMap: options.imageRegistryMap,
  });

  const served = new Set(discovery.resources);
  const namespacesResource = discovery.resources.find(isNamespacesResource);
  const autoscalers = discovery.resources.find(isAutoscalerResource);
  const toRead = new Set<ApiResource>(namespacesResource ? [namespacesResource] : []);
  for (const entry of desired) if (entry.resource && served.has(entry.resource)) toRead.add(entry.resource);
  // What restored workloads refer to, and the autoscalers that scale them, are read even when not restored.
  for (const resource of referencedResources(desired, discovery.resources)) toRead.add(resource);
  if (autoscalers) toRead.add(autoscalers);
  if (options.prune)
    for (const resource of selection.resources)
      if (prunable(resource, selection, normalize, clusterScoped)) toRead.add(resource);
  // -n with a glob reads every namespace; what is outside the selection is never planned.
  const targetNamespaces = namedNamespaces(selection.options)?.map((n) => namespaceMap.get(n) ?? n);
  const live = await readLive(client, [...toRead], targetNamespaces, concurrency, signal);

  const neighbours = new Neighbours(Boolean(options.forceConflicts));
  for (const { resource, object } of live.values())
    if (isAutoscalerResource(resource))
      neighbours.addAutoscaler(object, objectRef(resource.kind, object.metadata.namespace, object.metadata.name));
  for (const entry of desired) {
    if (entry.object && entry.resource && isAutoscalerResource(entry.resource))
      neighbours.addAutoscaler(
        entry.object,
        objectRef(entry.resource.kind, entry.object.metadata.namespace, entry.object.metadata.name),
      );
  }

  const objects: PlannedObject[] = [];
  const wanted = new Set<string>();
  for (const entry of desired) {
    const key = liveKey(
      entry.target.group,
      entry.target.resource,
      entry.resource?.namespaced === false ? undefined : entry.target.namespace,
      entry.target.name,
    );
    wanted.add(key);
    objects.push(planDesired(entry, live.get(key)?.object, normalize, neighbours));
  }

  // A namespace the restore writes into must exist: created bare when the revision's Namespace object is not restored with it.
  if (namespacesResource) {
    const needed = new Set(
      objects.filter((o) => o.namespace !== undefined && o.action === 'create').map((o) => o.namespace!),
    );
    for (const namespace of [...needed].sort()) {
      const key = liveKey('', 'namespaces', undefined, namespace);
      if (live.has(key) || wanted.has(key)) continue;
      wanted.add(key);
      const object = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
      objects.push(
        plannedObject(
          { path: '', group: '', resource: 'namespaces', kind: 'Namespace', name: namespace, action: 'create' },
          { resource: namespacesResource, desired: object },
        ),
      );
    }
  }

  if (options.prune) {
    const reverseMap = new Map([...namespaceMap].map(([from, to]) => [to, from]));
    const selectPath = pathSelector(selection, options.paths, options.prefix, clusterScoped);
    for (const [key, { resource, object }] of live) {
      if (
        wanted.has(key) ||
        !prunable(resource, selection, normalize, clusterScoped) ||
        !selection.resources.includes(resource)
      )
        continue;
      const namespace = resource.namespaced ? object.metadata.namespace : undefined;
      const scopeNamespace = isNamespacesResource(resource) ? object.metadata.name : namespace;
      // Production is left alone in a drill: a namespace mapped away is never pruned.
      if (scopeNamespace !== undefined && namespaceMap.has(scopeNamespace) && !reverseMap.has(scopeNamespace)) continue;
      const source = (name: string | undefined) => (name !== undefined ? (reverseMap.get(name) ?? name) : undefined);
      const sourcePath = objectPath(
        {
          group: resource.group,
          resource: resource.resource,
          namespace: source(namespace),
          name: isNamespacesResource(resource) ? source(object.metadata.name)! : object.metadata.name,
        },
        options.prefix,
      );
      if (!selectPath(sourcePath)) continue;
      if (selection.labelSelector && !selection.labelSelector.matches(object.metadata.labels)) continue;
      // Never what kubesnap leaves out by policy (owned Pods, token Secrets, kube-root-ca.crt, ...): the revision could not have had it.
      if (normalizeObject(object, resource, normalize).action === 'skip') continue;
      if (object.metadata.deletionTimestamp) continue;
      objects.push(
        plannedObject(
          {
            path: '',
            group: resource.group,
            resource: resource.resource,
            kind: resource.kind,
            namespace,
            name: object.metadata.name,
            action: 'delete',
          },
          { resource, live: object },
        ),
      );
    }
  }

  addReferenceWarnings(objects, (kind, namespace, name) =>
    live.has(liveKey('', referencedResourceNames[kind], namespace, name)),
  );

  const stepOf = applySteps(objects);
  for (const object of objects) object.step = stepOf(object.group, object.kind);
  objects.sort((a, b) => a.step - b.step || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  return { revision, objects, options: { normalize, concurrency, neighbours } };
}
