// A bulk load of recorded objects into the cluster (`Simulator.seed`, a manifest, the demo's templates).
import { copyJson } from '../json/index.ts';
import { namespaceObject } from './bootstrap.ts';
import type { Cluster, WriteContext } from './cluster.ts';
import type { CreatedFieldsCache } from './created-fields.ts';
import { ManifestError } from './manifests.ts';
import { groupVersionOf } from './object-shape.ts';
import type { ResourceRegistry } from './registry.ts';
import { bucketOf, keyOf } from './store.ts';
import type { KubeObject, ResourceDef } from './types.ts';

/**
 * Namespaces first (missing ones are created), then CRDs, then everything else, each as a create by `manager`.
 * Objects that already exist are replaced.
 */
export function seedObjects(cluster: Cluster, objects: KubeObject[], manager: string): void {
  const ctx = { dryRun: false, manager };
  const rank = (o: KubeObject): number => (o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : 2);
  const ordered = objects.map((o, index) => ({ o, index })).sort((a, b) => rank(a.o) - rank(b.o) || a.index - b.index);
  const fieldsCache: CreatedFieldsCache = new Map();
  for (const { o } of ordered) {
    try {
      seedOne(cluster, o, ctx, fieldsCache);
    } catch (error) {
      const what = `${o.kind ?? 'object'} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '(unnamed)'}`;
      throw new ManifestError(`${what} cannot be loaded: ${(error as Error).message}.`);
    }
  }
}

function seedOne(cluster: Cluster, o: KubeObject, ctx: WriteContext, fieldsCache: CreatedFieldsCache): void {
  const def = resolveDef(cluster.registry, o);
  const namespace = def.namespaced ? (o.metadata?.namespace ?? 'default') : undefined;
  const existing = o.metadata?.name ? cluster.find(def, namespace, o.metadata.name) : undefined;
  const body = copyJson(o);
  if (existing) {
    delete body.metadata.resourceVersion;
    cluster.update({ def, namespace, name: String(o.metadata.name) }, body, ctx);
    return;
  }
  // (An object that exists has its namespace: the namespace controller deletes a namespace's objects before it.)
  if (namespace && !cluster.store.get(bucketOf('', 'namespaces'), keyOf(undefined, namespace))) {
    cluster.create(cluster.def('', 'namespaces'), undefined, namespaceObject(namespace), ctx);
  }
  cluster.create(def, namespace, body, ctx, { seed: { fieldsCache } });
}

/** The resource an object's apiVersion and kind belong to, as a client would resolve it. */
function resolveDef(registry: ResourceRegistry, object: KubeObject): ResourceDef {
  const apiVersion = String(object.apiVersion ?? '');
  const [group, version] = groupVersionOf(apiVersion);
  const def = registry.all().find((d) => d.group === group && d.version === version && d.kind === object.kind);
  if (!def) throw new Error(`no resource of kind ${object.kind} in ${apiVersion || 'an empty apiVersion'}`);
  return def;
}
