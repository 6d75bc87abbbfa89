// `kubesnap watch` through the library (ClusterSync with its default batching), in its own process so its RSS is
// its own. Driven by watch-bench.ts over IPC:
//   → { synced: { ms, objects } }                 the first full sync is committed
//   → { sample: { t, pending, rssMb, heapMb, committed } }  every second
//   ← { finish: true }                             commit what is left, then
//   → { finished: { lagsMs, lagsByKind, committed, drainMs, commits } }
// Lag is measured per committed object: commit done − the write time the driver stamped into its annotation.
import { KubeClient, loadClusterConnection } from '../../lib/kube/index.ts';
import { ClusterSync } from '../../lib/sync/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';

const WRITTEN_AT = /bench\.kubesnap\.dev\/written-at: '?(\d+)/;
const [kubeconfig, dir] = process.argv.slice(2);

const client = new KubeClient(await loadClusterConnection({ kubeconfig }));
const repository = await SnapshotRepository.open(dir, { create: true });
const lagsMs: number[] = [];
/** The lags again by the kind folder of the file (`deployments.apps`): one stream read too slowly shows here. */
const lagsByKind: Record<string, number[]> = {};
let committed = 0;
let commits = 0;
let lastCommitAt = 0;
// Instrumentation only: the commit itself is the library's.
const commitChanges = repository.commitChanges.bind(repository);
repository.commitChanges = async (files, options) => {
  const result = await commitChanges(files, options);
  const now = Date.now();
  commits++;
  lastCommitAt = performance.now();
  for (const file of files) {
    const match = file.content && WRITTEN_AT.exec(file.content.toString());
    if (!match) continue;
    committed++;
    lagsMs.push(now - Number(match[1]));
    (lagsByKind[file.path.split('/')[1]] ??= []).push(now - Number(match[1]));
  }
  return result;
};

const sync = new ClusterSync({
  client,
  repository,
  author: { name: 'bench', email: 'bench@kubesnap.invalid' },
  cluster: { server: 'https://127.0.0.1', context: 'bench' },
});
const started = performance.now();
await sync.start();
await sync.ready;
while (commits === 0 || sync.pendingCount > 0) await new Promise((resolve) => setTimeout(resolve, 50));
process.send!({ synced: { ms: performance.now() - started } });

const begin = performance.now();
const sampler = setInterval(() => {
  const memory = process.memoryUsage();
  process.send!({
    sample: {
      t: (performance.now() - begin) / 1000,
      pending: sync.pendingCount,
      rssMb: memory.rss / 2 ** 20,
      heapMb: memory.heapUsed / 2 ** 20,
      committed,
    },
  });
}, 1000);

process.on('message', async (message: any) => {
  if (!message.finish) return;
  const asked = performance.now();
  // Events still in flight arrive within the quiet second; then whatever is pending is committed.
  let seen = -1;
  while (seen !== committed + sync.pendingCount) {
    seen = committed + sync.pendingCount;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await sync.stop();
  clearInterval(sampler);
  client.close();
  // Disconnecting only once the (large) message is out, or it is lost.
  process.send!(
    { finished: { lagsMs, lagsByKind, committed, commits, drainMs: Math.max(0, lastCommitAt - asked) } },
    () => process.disconnect(),
  );
});
