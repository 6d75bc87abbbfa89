// The simulated control plane's object semantics: create, read, update, patch, delete and list over the store,
// with the server-side fields, defaults, managedFields and lifecycles (namespaces, finalizers, CRDs) of a real one.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../health/index.ts';
import { serverSideApply } from './apply.ts';
import { namespaceObject, BUILTIN_NAMESPACES } from './bootstrap.ts';
import { dropCustomObjects, establishCrd, isCrd } from './crd-lifecycle.ts';
import { recordCreate, type CreatedFieldsCache } from './created-fields.ts';
import { SequentialAllocator, type Allocator } from './allocator.ts';
import { applyCreateDefaults, carryServerAssigned } from './defaults.ts';
import { servedObject } from './encoding.ts';
import { markedForDeletion, withoutFinalizer } from './finalization.ts';
import { specChanged } from './generation.ts';
import { recordWrite } from './managed-fields.ts';
import { ClusterRoleAggregator } from './clusterrole-aggregation.ts';
import { GarbageCollector } from './garbage-collector.ts';
import { NamespaceController } from './namespace-controller.ts';
import { populateNamespace } from './namespace-population.ts';
import { StorageProtectionController } from './storage-protection.ts';
import { isNoOpWrite } from './no-op-write.ts';
import { apiVersionOf, generatedName, hasGeneration, storedOrder, timestamp } from './object-shape.ts';
import { applyPatch, type PatchType } from './patches.ts';
import { scaleOf, withScale } from './scale.ts';
import { listObjects, type ListOptions, type ListResult } from './listing.ts';
import type { ResourceRegistry } from './registry.ts';
import type { ResourceTarget } from './routes.ts';
import { seedObjects } from './seed.ts';
import { alreadyExists, applyConflict, badRequest, notFound } from './status.ts';
import { bucketOf, keyOf, type ObjectStore } from './store.ts';
import type { KubeObject, ManagedFieldsEntry, ResourceDef } from './types.ts';
import { validateImmutableFields, validateName } from './validation.ts';
import {
  checkBodyType,
  checkName,
  checkNamespace,
  checkPreconditions,
  checkResourceVersion,
  requireNamespace,
} from './write-checks.ts';

/** A check of a write before it is stored (RBAC's escalation rule): throws the StatusError that refuses it. */
export type Admission = (def: ResourceDef, next: KubeObject, current: KubeObject | undefined) => void;

export interface WriteContext {
  dryRun: boolean;
  manager: string;
  admit?: Admission;
}

export type Subresource = 'status' | 'scale';

/** The object a write names: routes.ts's ResourceTarget with its name, and the subresource the cluster writes. */
export type ObjectTarget = Pick<ResourceTarget, 'def' | 'namespace'> & { name: string; subresource?: Subresource };

export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  /** Orphan leaves dependents (objects whose ownerReferences name this one) in place; otherwise they are collected. */
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
}

function isNamespaces(def: ResourceDef): boolean {
  return def.group === '' && def.resource === 'namespaces';
}

/** Server fields a recorded object (a seed) may already carry. */
interface RecordedFields {
  uid?: unknown;
  generation?: unknown;
  creationTimestamp?: unknown;
  managedFields?: ManagedFieldsEntry[];
  status?: unknown;
}

export class Cluster {
  readonly registry: ResourceRegistry;
  readonly store: ObjectStore;
  private readonly caPem: string;
  private allocator: Allocator = new SequentialAllocator();
  /** Object timestamps, tokens' lifetimes, the response delay of a fault. */
  readonly clock: Clock;

  private readonly collector: GarbageCollector;
  private readonly namespaces: NamespaceController;

  constructor(registry: ResourceRegistry, store: ObjectStore, caPem: string, clock: Clock) {
    this.registry = registry;
    this.store = store;
    this.caPem = caPem;
    this.clock = clock;
    this.collector = new GarbageCollector(store, ({ bucket, key }) => {
      const def = this.registry.preferredOfBucket(bucket);
      const [namespace, name] = key.split('/');
      if (def) this.delete(def, namespace || undefined, name, { dryRun: false, manager: 'generic-garbage-collector' });
    });
    this.namespaces = new NamespaceController(store, registry, (def, namespace, name) =>
      this.delete(def, namespace, name, { dryRun: false, manager: 'kube-controller-manager' }),
    );
    // These two only act on the store's events: nothing calls them.
    new StorageProtectionController(store, (bucket, key, finalizer) => this.removeFinalizer(bucket, key, finalizer));
    new ClusterRoleAggregator(store, (name, rules) => {
      const applied = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules };
      this.patch(
        { def: this.def('rbac.authorization.k8s.io', 'clusterroles'), name },
        'apply',
        applied,
        { dryRun: false, manager: 'clusterrole-aggregation-controller' },
        { force: true },
      );
    });
  }

  /** The built-in namespaces every cluster starts with. */
  bootstrap(): void {
    for (const name of BUILTIN_NAMESPACES)
      this.create(this.def('', 'namespaces'), undefined, namespaceObject(name), {
        dryRun: false,
        manager: 'kube-apiserver',
      });
  }

  def(group: string, resource: string): ResourceDef {
    const def = this.registry.preferred(group, resource);
    if (!def) throw new Error(`no resource ${resource} in group "${group}"`);
    return def;
  }

  now(): Date {
    return new Date(this.clock.now());
  }

  private builtin(def: ResourceDef): boolean {
    return this.registry.isBuiltinGroup(def.group);
  }

  private time(): string {
    return timestamp(this.now());
  }

  /** The object as a GET at `def`'s version returns it. */
  serve(def: ResourceDef, stored: KubeObject): KubeObject {
    return servedObject(def, stored);
  }

  find(def: ResourceDef, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(bucketOf(def.group, def.resource), keyOf(def.namespaced ? namespace : undefined, name));
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KubeObject {
    const stored = this.find(def, namespace, name);
    if (!stored) throw notFound(def.group, def.resource, name);
    return stored;
  }

  list(def: ResourceDef, namespace: string | undefined, options: ListOptions = {}): ListResult {
    return listObjects(this.store, def, namespace, options);
  }

  /**
   * Creates an object. The caller hands over `object`: it becomes the new object (no copy is made), as in update.
   * `seed`: a bulk load, which keeps the server fields a recorded object already carries (uid, creationTimestamp,
   * generation, managedFields, status) and reuses the managedFields of same-shaped objects from `fieldsCache`.
   */
  create(
    def: ResourceDef,
    namespace: string | undefined,
    object: KubeObject,
    ctx: WriteContext,
    options: { applied?: KubeObject; seed?: { fieldsCache: CreatedFieldsCache } } = {},
  ): KubeObject {
    checkBodyType(this.registry, def, object);
    checkNamespace(def, namespace, object);
    const meta = object.metadata;
    if (!meta.name && meta.generateName) meta.name = generatedName(meta.generateName);
    validateName(def, object);
    const name = meta.name!;
    requireNamespace(this.store, def, meta.namespace, name);
    const bucket = bucketOf(def.group, def.resource);
    const key = keyOf(meta.namespace, name);
    if (this.store.get(bucket, key)) throw alreadyExists(def.group, def.resource, name);

    const recorded: RecordedFields = options.seed ? { ...meta, status: object.status } : {};
    const time = this.time();
    for (const field of [
      'uid',
      'resourceVersion',
      'generation',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'selfLink',
      'managedFields',
    ])
      delete meta[field];
    if (def.subresources.includes('status')) delete object.status;
    meta.uid = recorded.uid ?? randomUUID(); // before the defaults: a Job's generated selector holds it
    applyCreateDefaults(def, object, this.allocator);
    if (hasGeneration(def, this.builtin(def))) meta.generation = recorded.generation ?? 1;
    meta.creationTimestamp = recorded.creationTimestamp ?? time;
    object.apiVersion = apiVersionOf(def);
    object.kind = def.kind;
    if (recorded.managedFields) meta.managedFields = recorded.managedFields;
    else recordCreate(def, object, ctx.manager, time, options.applied, options.seed?.fieldsCache);
    if (isNamespaces(def)) object.status = { phase: 'Active' };
    if (isCrd(def)) establishCrd(def, object, time);
    if (recorded.status !== undefined) object.status = recorded.status;
    ctx.admit?.(def, object, undefined);
    if (ctx.dryRun) return storedOrder(object);

    const revision = this.store.nextRevision();
    meta.resourceVersion = String(revision);
    const stored = storedOrder(object);
    this.store.commit('ADDED', bucket, key, stored, revision);
    if (isNamespaces(def)) populateNamespace(this.store, name, this.caPem, time);
    if (isCrd(def)) this.registry.setCrd(this.serve(def, stored));
    return stored;
  }

  /**
   * Bulk load: namespaces first (missing ones are created), then CRDs, then everything else, each as a create
   * by `manager`. Objects that already exist are replaced.
   */
  seed(objects: KubeObject[], manager = 'kubectl-create'): void {
    seedObjects(this, objects, manager);
  }

  /** A PUT. The caller hands over `body`: it becomes the new object (no copy is made). */
  update(target: ObjectTarget, body: KubeObject, ctx: WriteContext): KubeObject {
    const { def, namespace, name, subresource } = target;
    const current = this.get(def, namespace, name);
    checkBodyType(this.registry, def, body);
    checkName(name, body, { optional: true });
    checkNamespace(def, namespace, body);
    checkResourceVersion(def, current, body);
    const next = subresource === 'status' ? { ...structuredClone(current), status: body.status } : body;
    return this.replace(def, current, next, ctx, { operation: 'Update', subresource });
  }

  /** The common tail of PUT, PATCH and apply: server-owned fields, generation, managedFields, commit. */
  private replace(
    def: ResourceDef,
    current: KubeObject,
    next: KubeObject,
    ctx: WriteContext,
    how: { operation: 'Update' | 'Apply'; subresource?: Subresource; applied?: KubeObject },
  ): KubeObject {
    const meta = next.metadata ?? (next.metadata = {});
    for (const field of [
      'name',
      'namespace',
      'uid',
      'creationTimestamp',
      'generation',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
    ]) {
      if (current.metadata[field] === undefined) delete meta[field];
      else meta[field] = current.metadata[field];
    }
    delete meta.selfLink;
    meta.managedFields = current.metadata.managedFields;
    if (how.subresource !== 'status' && def.subresources.includes('status')) next.status = current.status;
    if (isNamespaces(def)) next.status = current.status;
    next.apiVersion = apiVersionOf(def);
    next.kind = def.kind;
    carryServerAssigned(def, current, next, this.allocator);
    if (how.subresource === undefined) validateImmutableFields(def, current, next);
    ctx.admit?.(def, next, current);
    if (meta.generation !== undefined && specChanged(def, current, next)) meta.generation = Number(meta.generation) + 1;
    const time = this.time();
    recordWrite({
      def,
      previous: current,
      next,
      manager: ctx.manager,
      operation: how.operation,
      subresource: how.subresource,
      applied: how.applied,
      time,
    });
    meta.resourceVersion = current.metadata.resourceVersion;
    const stored = storedOrder(next);
    if (isNoOpWrite(stored, current)) return current;
    if (ctx.dryRun) return stored;

    const bucket = bucketOf(def.group, def.resource);
    const key = keyOf(current.metadata.namespace as string | undefined, String(current.metadata.name));
    const revision = this.store.nextRevision();
    stored.metadata.resourceVersion = String(revision);
    const finalizers = meta.finalizers as string[] | undefined;
    if (meta.deletionTimestamp && !finalizers?.length && !isNamespaces(def)) {
      this.store.commit('DELETED', bucket, key, stored, revision);
      this.afterDelete(def, stored);
      return stored;
    }
    this.store.commit('MODIFIED', bucket, key, stored, revision);
    if (isCrd(def)) this.registry.setCrd(this.serve(def, stored));
    return stored;
  }

  patch(
    target: ObjectTarget,
    type: PatchType,
    patch: unknown,
    ctx: WriteContext,
    options: { force?: boolean } = {},
  ): KubeObject {
    if (type === 'apply') return this.apply(target, patch as KubeObject, ctx, options.force ?? false);
    const { def, namespace, name, subresource } = target;
    const current = this.get(def, namespace, name);
    const patched = applyPatch(def, this.builtin(def), type, this.serve(def, current), patch);
    checkName(name, patched, { optional: false });
    checkResourceVersion(def, current, patched);
    const next = subresource === 'status' ? { ...structuredClone(current), status: patched.status } : patched;
    return this.replace(def, current, next, ctx, { operation: 'Update', subresource });
  }

  private apply(target: ObjectTarget, applied: KubeObject, ctx: WriteContext, force: boolean): KubeObject {
    const { def, namespace, name, subresource } = target;
    checkBodyType(this.registry, def, applied);
    if (!applied.apiVersion || !applied.kind) throw badRequest('apply patches must specify apiVersion and kind');
    checkName(name, applied, { optional: true });
    applied.metadata.name = name;
    checkNamespace(def, namespace, applied);
    const current = this.find(def, namespace, name);
    const live = current ? this.serve(def, current) : undefined;
    const result = serverSideApply({ def, live, applied, manager: ctx.manager, force });
    if ('conflicts' in result) throw applyConflict(def.group, def.resource, name, result.conflicts);
    if (!current) {
      if (subresource) throw notFound(def.group, def.resource, name);
      return this.create(def, namespace, result.object, ctx, { applied });
    }
    checkResourceVersion(def, current, applied);
    return this.replace(def, current, result.object, ctx, { operation: 'Apply', subresource, applied });
  }

  getScale(def: ResourceDef, namespace: string | undefined, name: string): KubeObject {
    return scaleOf(this.get(def, namespace, name));
  }

  updateScale(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    scale: KubeObject,
    ctx: WriteContext,
  ): KubeObject {
    const current = this.get(def, namespace, name);
    const next = withScale(def, this.serve(def, current), scale);
    checkResourceVersion(def, current, next);
    return scaleOf(this.replace(def, current, next, ctx, { operation: 'Update', subresource: 'scale' }));
  }

  patchScale(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    ctx: WriteContext,
  ): KubeObject {
    if (type === 'apply') throw badRequest('server-side apply is not supported on the scale subresource');
    const current = scaleOf(this.get(def, namespace, name));
    // A Scale has no lists, so a strategic merge patch is a merge patch.
    const patched = applyPatch(def, true, type === 'strategic' ? 'merge' : type, current, patch);
    return this.updateScale(def, namespace, name, patched, ctx);
  }

  /** Deletes an object; one with finalizers only gets its deletionTimestamp. Returns the object and whether it is gone. */
  delete(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    ctx: WriteContext,
    options: DeleteOptions = {},
  ): { object: KubeObject; gone: boolean } {
    const current = this.get(def, namespace, name);
    checkPreconditions(def, current, options.preconditions);
    if (ctx.dryRun) return { object: current, gone: true };
    const bucket = bucketOf(def.group, def.resource);
    const key = keyOf(current.metadata.namespace as string | undefined, name);
    const finalizers = current.metadata.finalizers as string[] | undefined;
    if (isNamespaces(def) || finalizers?.length) {
      if (current.metadata.deletionTimestamp) return { object: current, gone: false };
      const next = markedForDeletion(current, this.time(), isNamespaces(def));
      const revision = this.store.nextRevision();
      next.metadata.resourceVersion = String(revision);
      const stored = storedOrder(next);
      this.store.commit('MODIFIED', bucket, key, stored, revision);
      if (isNamespaces(def)) setImmediate(() => this.namespaces.finish(name));
      return { object: stored, gone: false };
    }
    if (isCrd(def)) dropCustomObjects(this.store, this.registry, name);
    if (options.propagationPolicy === 'Orphan') this.collector.orphanDependentsOf(String(current.metadata.uid));
    const deleted = this.store.remove(bucket, key, current);
    this.afterDelete(def, deleted);
    return { object: deleted, gone: true };
  }

  /** A controller's update taking `finalizer` off an object (which completes a deletion it was the last one of). */
  private removeFinalizer(bucket: string, key: string, finalizer: string): void {
    const def = this.registry.preferredOfBucket(bucket);
    const object = this.store.get(bucket, key);
    if (!def || !object) return;
    this.update(
      { def, namespace: object.metadata.namespace as string | undefined, name: String(object.metadata.name) },
      withoutFinalizer(object, finalizer),
      { dryRun: false, manager: 'kube-controller-manager' },
    );
  }

  private afterDelete(def: ResourceDef, deleted: KubeObject): void {
    if (isCrd(def)) this.registry.removeCrd(String(deleted.metadata.name));
    this.namespaces.objectDeleted(deleted);
  }
}
