import { mapWithConcurrency } from '../concurrency/index.ts';
import {
  ApiError, createObject, deleteObject, getObject, isConflict, isNotFound, jsonPatchObject, withRetry,
  type ApiResource, type JsonPatchOperation,
} from '../kube/index.ts';
import type { KubeObject } from '../normalize/index.ts';
import { decide } from './compare.ts';
import { failureMessage, immutableField } from './failures.ts';
import { waitActive, waitEstablished, waitGone } from './readiness.ts';
import type { ApplyOptions, ObjectResult, PlannedObject, RestoreCounts, RestoreOutcome, RestorePlan, RestoreResult } from './types.ts';

/** Restores write as this manager, so the history a watch keeps credits their changes to a restore, not to kubesnap's reading. */
const RESTORE_FIELD_MANAGER = 'kubesnap-restore';

const isCrd = (o: Pick<PlannedObject, 'group' | 'kind'>) => o.group === 'apiextensions.k8s.io' && o.kind === 'CustomResourceDefinition';
const isNamespace = (o: Pick<PlannedObject, 'group' | 'kind'>) => o.group === '' && o.kind === 'Namespace';

/** An error that may mean "someone else changed it meanwhile": a failed resourceVersion test (422), a conflict, a disappearance. */
function mayBeConcurrent(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 409 || error.status === 422 || error.status === 404);
}

function countOutcomes(results: readonly ObjectResult[]): RestoreCounts {
  const counts: RestoreCounts = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0, notRestored: 0 };
  const field: Record<RestoreOutcome, keyof RestoreCounts> = {
    created: 'created', updated: 'updated', unchanged: 'unchanged', deleted: 'deleted', failed: 'failed', 'not-restored': 'notRestored',
  };
  for (const result of results) counts[field[result.outcome]]++;
  return counts;
}

/**
 * Applies a plan in dependency order (creates and updates step by step, each step with bounded
 * concurrency, waiting for CRDs and Namespaces to be usable; then deletions in reverse order). Every
 * object gets a result; a failure is reported with its object and the rest still applied.
 */
export async function applyRestore(plan: RestorePlan, options: ApplyOptions): Promise<RestoreResult> {
  const { client, signal } = options;
  const dryRun = options.dryRun === 'server';
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const concurrency = options.concurrency ?? plan.options.concurrency;
  const results = new Map<PlannedObject, ObjectResult>();
  const finish = (object: PlannedObject, outcome: RestoreOutcome, extra: Pick<ObjectResult, 'message' | 'replanned' | 'unvalidated'> = {}) => {
    const result: ObjectResult = { ref: object.ref, path: object.path, action: object.action, outcome, ...extra };
    results.set(object, result);
    options.onObjectDone?.(result);
  };

  for (const object of plan.objects) {
    if (object.action === 'unchanged') finish(object, 'unchanged');
    if (object.action === 'blocked') finish(object, 'not-restored', { message: `${object.ref}: ${object.reason}` });
    if (object.action === 'invalid') finish(object, 'failed', { message: `${object.ref} (${object.path}): ${object.reason}` });
  }

  // In a server-side dry run nothing is created, so what needs a Namespace or CRD this restore creates cannot be sent.
  const creates = plan.objects.filter((o) => o.action === 'create');
  const newNamespaces = new Set(creates.filter(isNamespace).map((o) => o.name));
  const newResources = new Set(creates.filter(isCrd).map((o) => {
    const spec = o.internal.desired?.spec as { group?: string; names?: { plural?: string } } | undefined;
    return `${spec?.group}/${spec?.names?.plural}`;
  }));
  const unvalidatable = (object: PlannedObject): string | undefined => {
    if (object.namespace !== undefined && newNamespaces.has(object.namespace)) return `Namespace/${object.namespace}`;
    if (newResources.has(`${object.group}/${object.resource}`)) return `the CustomResourceDefinition of ${object.resource}.${object.group}`;
    return undefined;
  };

  const write = async (object: PlannedObject): Promise<void> => {
    const needed = dryRun ? unvalidatable(object) : undefined;
    if (needed) {
      finish(object, object.action === 'create' ? 'created' : 'updated', { unvalidated: true, message: `${object.ref}: not validated by the server: it needs ${needed}, which this restore creates.` });
      return;
    }
    const { resource, desired, live } = object.internal;
    try {
      if (object.action === 'create') await withRetry(() => createObject(client, resource!, desired!, { dryRun, signal, fieldManager: RESTORE_FIELD_MANAGER }), { signal });
      else await patch(resource!, object, object.livePatch);
      finish(object, object.action === 'create' ? 'created' : 'updated');
    } catch (error) {
      if (mayBeConcurrent(error)) {
        const current = await readCurrent(resource!, object);
        const changed = object.action === 'create' ? current !== undefined : current?.metadata.resourceVersion !== live?.metadata.resourceVersion;
        if (changed) return replan(object, current);
      }
      if (immutableField(error) !== undefined && options.recreate) return recreate(object);
      finish(object, 'failed', { message: failureMessage(object.ref, error) });
    }
  };

  const patch = (resource: ApiResource, object: PlannedObject, operations: JsonPatchOperation[]) =>
    withRetry(() => jsonPatchObject(client, resource, object.namespace, object.name, operations, { dryRun, signal, fieldManager: RESTORE_FIELD_MANAGER }), { signal });

  const readCurrent = async (resource: ApiResource, object: PlannedObject): Promise<KubeObject | undefined> => {
    try {
      return await withRetry(() => getObject<KubeObject>(client, resource, object.namespace, object.name, signal), { signal });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  // The object changed after it was planned: plan it once more against what is live now, and never
  // write over a second change.
  const replan = async (object: PlannedObject, current: KubeObject | undefined): Promise<void> => {
    const { resource, desired } = object.internal;
    const decision = decide(desired!, current, resource!, plan.options.normalize, plan.options.neighbours);
    const what = object.action === 'create' ? 'was created by someone else (or the cluster) during the restore' : 'changed during the restore';
    const note = { replanned: true, message: `${object.ref}: ${what}; planned again against its new version.` };
    if (decision.action === 'unchanged') return finish(object, 'unchanged', note);
    if (decision.action === 'blocked') return finish(object, 'not-restored', { replanned: true, message: `${object.ref}: ${decision.reason}` });
    try {
      if (decision.action === 'create') await withRetry(() => createObject(client, resource!, desired!, { dryRun, signal, fieldManager: RESTORE_FIELD_MANAGER }), { signal });
      else await patch(resource!, object, decision.livePatch);
      finish(object, decision.action === 'create' ? 'created' : 'updated', note);
    } catch (error) {
      const message = mayBeConcurrent(error) && (isConflict(error) || immutableField(error) === undefined)
        ? `${object.ref}: changed again while it was being restored; left as it is live (conflict).`
        : failureMessage(object.ref, error);
      finish(object, 'failed', { replanned: true, message });
    }
  };

  const recreate = async (object: PlannedObject): Promise<void> => {
    const { resource, desired } = object.internal;
    try {
      await withRetry(() => deleteObject(client, resource!, object.namespace, object.name, { dryRun, signal }), { signal });
      if (!dryRun) {
        await waitGone(client, resource!, object.namespace, object.name, object.ref, timeoutMs, signal);
        await withRetry(() => createObject(client, resource!, desired!, { signal, fieldManager: RESTORE_FIELD_MANAGER }), { signal });
      }
      finish(object, 'updated', { message: `${object.ref}: deleted and created again (--recreate), an immutable field differed.` });
    } catch (error) {
      finish(object, 'failed', { message: failureMessage(object.ref, error) });
    }
  };

  const awaitUsable = async (object: PlannedObject): Promise<void> => {
    const result = results.get(object);
    if (dryRun || !result || (result.outcome !== 'created' && result.outcome !== 'updated')) return;
    try {
      if (isCrd(object)) await waitEstablished(client, object.internal.resource!, object.name, object.ref, timeoutMs, signal);
      if (isNamespace(object)) await waitActive(client, object.internal.resource!, object.name, object.ref, timeoutMs, signal);
    } catch (error) {
      finish(object, 'failed', { message: error instanceof Error ? error.message : String(error) });
    }
  };

  const writes = plan.objects.filter((o) => o.action === 'create' || o.action === 'update');
  for (const step of [...new Set(writes.map((o) => o.step))].sort((a, b) => a - b)) {
    const batch = writes.filter((o) => o.step === step);
    await mapWithConcurrency(batch, concurrency, write);
    await mapWithConcurrency(batch.filter((o) => isCrd(o) || isNamespace(o)), concurrency, awaitUsable);
  }

  const deletions = plan.objects.filter((o) => o.action === 'delete');
  for (const step of [...new Set(deletions.map((o) => o.step))].sort((a, b) => b - a)) {
    await mapWithConcurrency(deletions.filter((o) => o.step === step), concurrency, async (object) => {
      try {
        await withRetry(() => deleteObject(client, object.internal.resource!, object.namespace, object.name, { dryRun, signal }), { signal });
        finish(object, 'deleted');
      } catch (error) {
        if (isNotFound(error)) finish(object, 'deleted');
        else finish(object, 'failed', { message: failureMessage(object.ref, error) });
      }
    });
  }

  const objects = plan.objects.map((o) => results.get(o)!);
  return { revision: plan.revision, dryRun: options.dryRun, objects, counts: countOutcomes(objects) };
}
