import { randomBytes } from 'node:crypto';
import { diffLive } from '../diff/index.ts';
import type { Clock } from '../health/index.ts';
import { deleteObject, isNotFound, KubeClient, loadClusterConnection } from '../kube/index.ts';
import { parseObjectPath } from '../layout/index.ts';
import type { NormalizeOptions } from '../normalize/index.ts';
import { applyRestore, planRestore, type RestorePlan, type RestoreResult } from '../restore/index.ts';
import { isNamespacesResource } from '../selection/index.ts';
import { startSimulator } from '../sim/index.ts';
import type { SnapshotRepository } from '../store/index.ts';
import {
  createDrillNamespaces,
  deleteDrillNamespaces,
  drillNamespaceName,
  sweepDrillNamespaces,
} from './drill-namespaces.ts';
import type { DrillPart } from './types.ts';
import { waitForWorkloads } from './workload-readiness.ts';

/**
 * Where the configuration is restored to:
 * - sim: the built-in simulated API server, started empty in-process and stopped after;
 * - namespaces: the cluster `client` reaches, each namespace under a `-drill-<id>` suffix, deleted after; with
 *   `namespaceRole`, that ClusterRole is bound to the drill in each (see createDrillNamespaces);
 * - kubeconfig: a second cluster (staging) as it is, left as restored unless `cleanup`.
 */
export type DrillTarget =
  | { kind: 'sim' }
  | { kind: 'namespaces'; client: KubeClient; namespaceRole?: string }
  | { kind: 'kubeconfig'; client: KubeClient; cleanup?: boolean };

export interface ConfigDrillOptions {
  repository: SnapshotRepository;
  /** A commit id: the CLI resolves the revision once for every part. */
  commit: string;
  target: DrillTarget;
  normalize?: NormalizeOptions;
  ageIdentities?: readonly string[];
  prefix?: string;
  /** How long a namespaces drill waits for its Deployments and StatefulSets to be ready; default 5 minutes. */
  readyTimeoutMs?: number;
  /** Where the waits (namespaces Active, workloads ready) read the time and wait between polls. */
  clock: Clock;
  signal?: AbortSignal;
}

export async function drillConfiguration(options: ConfigDrillOptions): Promise<DrillPart> {
  const { target } = options;
  if (target.kind === 'sim') {
    const sim = await startSimulator();
    const client = new KubeClient(await loadClusterConnection({ kubeconfig: sim.kubeconfigPath }));
    try {
      return await restoreAndVerify(client, 'the simulated API server', options, new Map());
    } finally {
      client.close();
      await sim.stop();
    }
  }
  if (target.kind === 'kubeconfig')
    return restoreAndVerify(target.client, 'the target cluster', options, new Map(), target.cleanup);
  await sweepDrillNamespaces(target.client);
  const namespaceMap = await drillNamespaceMap(options);
  try {
    await createDrillNamespaces(target.client, [...namespaceMap.values()], target.namespaceRole);
    return await restoreAndVerify(target.client, `${namespaceMap.size} drill namespaces`, options, namespaceMap);
  } finally {
    await deleteDrillNamespaces(target.client, [...namespaceMap.values()]);
  }
}

/** Every namespace of the revision → `<namespace>-drill-<id>`, one id per drill. */
async function drillNamespaceMap(options: ConfigDrillOptions): Promise<Map<string, string>> {
  const id = randomBytes(4).toString('hex');
  const map = new Map<string, string>();
  for (const path of (await options.repository.readFiles(options.commit)).keys()) {
    const namespace = parseObjectPath(path, options.prefix)?.namespace;
    if (namespace !== undefined && !map.has(namespace)) map.set(namespace, drillNamespaceName(namespace, id));
  }
  return map;
}

async function restoreAndVerify(
  client: KubeClient,
  where: string,
  options: ConfigDrillOptions,
  namespaceMap: Map<string, string>,
  cleanup = false,
): Promise<DrillPart> {
  const plan = await planRestore({
    client,
    repository: options.repository,
    revision: options.commit,
    normalize: options.normalize,
    ageIdentities: options.ageIdentities,
    prefix: options.prefix,
    namespaceMap,
    includeClusterScoped: namespaceMap.size === 0,
    signal: options.signal,
    // Read only the drill namespaces: a least-privilege drill may read nothing else.
    selection: namespaceMap.size > 0 ? { namespaces: [...namespaceMap.keys()] } : undefined,
  });
  const result = await applyRestore(plan, { client, signal: options.signal, clock: options.clock });
  const notes = result.objects.filter((o) => o.outcome === 'not-restored').map((o) => o.message ?? o.ref);
  const problems = result.objects.filter((o) => o.outcome === 'failed').map((o) => o.message ?? `${o.ref}: failed`);
  // Read back and compare; the namespace-mapped copy has other paths than the revision: its workloads must become ready instead.
  if (namespaceMap.size === 0) problems.push(...(await readBackDifferences(client, plan, result, options)));
  else {
    const readiness = await waitForWorkloads(client, plan, result, {
      timeoutMs: options.readyTimeoutMs ?? 300_000,
      clock: options.clock,
      signal: options.signal,
    });
    problems.push(...readiness.problems);
    notes.push(...readiness.notes);
  }
  if (cleanup) await deleteCreated(client, plan, result);
  const restored = result.counts.created + result.counts.updated + result.counts.unchanged;
  const summary =
    problems.length === 0
      ? `${restored} objects restored into ${where} and read back as the revision has them${notes.length ? `; ${notes.length} could not be restored by design` : ''}.`
      : `${problems.length} of ${plan.objects.length} objects were refused by ${where} or read back differently.`;
  return { part: 'config', status: problems.length === 0 ? 'passed' : 'failed', summary, problems, notes };
}

/** Deletes what the restore created, dependents first (objects in a namespace go with it). */
async function deleteCreated(client: KubeClient, plan: RestorePlan, result: RestoreResult): Promise<void> {
  const created = new Set(result.objects.filter((o) => o.outcome === 'created').map((o) => o.ref));
  const objects = plan.objects.filter((o) => created.has(o.ref) && o.internal.resource).reverse();
  const namespaces = new Set(objects.filter(isNamespacesResource).map((o) => o.name));
  for (const object of objects) {
    if (object.namespace !== undefined && namespaces.has(object.namespace)) continue;
    try {
      await deleteObject(client, object.internal.resource!, object.namespace, object.name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

/**
 * The target read back as a snapshot would read it, against the revision: an object missing or different fails the
 * drill. Objects the target has and the revision does not (its own namespaces and defaults) are not differences.
 */
async function readBackDifferences(
  client: KubeClient,
  plan: RestorePlan,
  result: RestoreResult,
  options: ConfigDrillOptions,
): Promise<string[]> {
  const alreadyReported = new Set(
    result.objects
      .filter((o) => o.outcome !== 'created' && o.outcome !== 'updated' && o.outcome !== 'unchanged')
      .map((o) => o.path),
  );
  const changes = await diffLive({
    client,
    repository: options.repository,
    revision: plan.revision.commit,
    normalize: options.normalize,
    ageIdentities: options.ageIdentities,
    prefix: options.prefix,
    signal: options.signal,
  });
  return changes.objects
    .filter((change) => change.change !== 'created' && !alreadyReported.has(change.path))
    .map((change) =>
      change.change === 'deleted'
        ? `${change.path}: accepted but not there when read back`
        : `${change.path}: read back differently (${change.fields
            .slice(0, 3)
            .map((f) => f.path)
            .join(', ')})`,
    );
}
