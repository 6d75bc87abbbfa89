import type { Clock } from '../health/index.ts';
import { getObject, isForbidden, isNotFound, listAll, type ApiResource, type KubeClient } from '../kube/index.ts';
import type { RestorePlan, RestoreResult } from '../restore/index.ts';

const nodes: ApiResource = {
  group: '',
  version: 'v1',
  resource: 'nodes',
  kind: 'Node',
  singularName: 'node',
  namespaced: false,
  verbs: ['list'],
  shortNames: ['no'],
  categories: [],
};
const WORKLOADS = new Set(['Deployment', 'StatefulSet']);
const POLL_MS = 2000;

interface Workload {
  spec?: { replicas?: number };
  status?: { readyReplicas?: number };
}

/**
 * Waits until every Deployment and StatefulSet the drill created has its replicas ready, where the cluster can run
 * them: a cluster without nodes (the simulator, a control plane alone) gets a note instead of a verdict.
 */
export async function waitForWorkloads(
  client: KubeClient,
  plan: RestorePlan,
  result: RestoreResult,
  options: { timeoutMs: number; clock: Clock; signal?: AbortSignal },
): Promise<{ problems: string[]; notes: string[] }> {
  const created = new Set(result.objects.filter((o) => o.outcome === 'created').map((o) => o.ref));
  const workloads = plan.objects.filter(
    (o) => created.has(o.ref) && o.group === 'apps' && WORKLOADS.has(o.kind) && o.internal.resource,
  );
  if (workloads.length === 0) return { problems: [], notes: [] };
  if (!(await hasNodes(client)))
    return {
      problems: [],
      notes: [
        `${workloads.length} Deployments and StatefulSets were not waited for: the cluster has no nodes to run them on (or kubesnap may not list them).`,
      ],
    };
  const readiness = async (o: (typeof workloads)[number]) => {
    const live = await getObject<Workload>(client, o.internal.resource!, o.namespace, o.name, signal);
    return { ref: o.ref, ready: live.status?.readyReplicas ?? 0, wanted: live.spec?.replicas ?? 1 };
  };
  const { clock, signal } = options;
  const deadline = clock.now() + options.timeoutMs;
  for (;;) {
    const states = await Promise.all(workloads.map(readiness));
    const waiting = states.filter((s) => s.ready < s.wanted);
    if (waiting.length === 0) return { problems: [], notes: [] };
    if (clock.now() >= deadline) {
      return {
        problems: waiting.map(
          (s) => `${s.ref}: ${s.ready} of ${s.wanted} replicas ready after ${Math.round(options.timeoutMs / 1000)} s`,
        ),
        notes: [],
      };
    }
    await clock.sleep(POLL_MS, signal);
  }
}

async function hasNodes(client: KubeClient): Promise<boolean> {
  try {
    return (await listAll(client, nodes)).items.length > 0;
  } catch (error) {
    if (isForbidden(error) || isNotFound(error)) return false;
    throw error;
  }
}
