// What the backpressure tests share: a ClusterSync against a simulator whose commits wait until the test lets them
// go (no batch timer, no batch size), with a small maxBacklog, and what it read and committed.
import type { KubeObject, Simulator } from '../../lib/sim/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { ClusterSync } from '../../lib/sync/index.ts';
import type { WatchMetrics } from '../../lib/metrics/index.ts';
import { clientFor, eventually, testAuthor, testCluster } from '../helpers/cluster.ts';

export interface HeldSync {
  sync: ClusterSync;
  repository: SnapshotRepository;
  stop(): Promise<void>;
}

/** Started, its first full sync committed; afterwards nothing is committed but by `commitUntil`. */
export async function startHeldSync(
  sim: Simulator,
  dir: string,
  options: { maxBacklog: number; metrics?: WatchMetrics },
): Promise<HeldSync> {
  const client = await clientFor(sim);
  const repository = await SnapshotRepository.open(dir, { create: true });
  const sync = new ClusterSync({
    client,
    repository,
    author: testAuthor,
    cluster: testCluster,
    batchMs: 3_600_000,
    batchMax: 1_000_000,
    ...options,
  });
  const stop = async () => {
    await sync.stop();
    client.close();
  };
  try {
    await sync.start();
    await sync.ready;
    await eventually(async () => (await repository.head()) !== undefined, 10_000, 'the first full sync committed');
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
  return { sync, repository, stop };
}

export const configMap = (name: string, data: Record<string, string> = { name }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'monitoring' },
  data,
});

/** The watch events of `resource` the sync has read (bookmarks aside), as kubesnap_watch_events_total counts them. */
export async function eventsRead(sync: ClusterSync, resource: string): Promise<number> {
  const counted = await sync.metrics.registry.getSingleMetric('kubesnap_watch_events_total')!.get();
  return counted.values
    .filter((value) => value.labels.resource === resource && value.labels.type !== 'BOOKMARK')
    .reduce((sum, value) => sum + value.value, 0);
}

/** Commits again and again (each commit makes room, and the watch reads on) until nothing is pending and `done`. */
export async function commitUntil(sync: ClusterSync, done: () => Promise<boolean>): Promise<void> {
  await eventually(
    async () => {
      await sync.flush();
      return sync.pendingCount === 0 && (await done());
    },
    60_000,
    'every change read and committed',
  );
}

/** The objects the commits after the first `skipped` ones (oldest first) say they created, updated and deleted. */
export async function changesCommitted(repository: SnapshotRepository, skipped: number) {
  const total = { created: 0, updated: 0, deleted: 0 };
  for (const { message } of (await repository.log()).reverse().slice(skipped)) {
    const counts = /^watch: (\d+) created, (\d+) updated, (\d+) deleted/.exec(message);
    if (!counts) throw new Error(`not a watch commit: ${message.split('\n')[0]}`);
    total.created += Number(counts[1]);
    total.updated += Number(counts[2]);
    total.deleted += Number(counts[3]);
  }
  return total;
}
