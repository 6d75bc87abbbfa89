// One `kubesnap snapshot` through the library, in its own process so its peak RSS is its own:
//   node --import tsx snapshot-process.ts KUBECONFIG REPO_DIR   → one JSON line { wallMs, cpuMs, maxRssMb, objects, commit }
import { KubeClient, loadClusterConnection } from '../../lib/kube/index.ts';
import { takeSnapshot } from '../../lib/snapshot/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';

const [kubeconfig, dir] = process.argv.slice(2);
const cpu = process.cpuUsage();
const started = performance.now();
const client = new KubeClient(await loadClusterConnection({ kubeconfig }));
const repository = await SnapshotRepository.open(dir, { create: true });
const result = await takeSnapshot({
  client,
  repository,
  author: { name: 'bench', email: 'bench@kubesnap.invalid' },
  cluster: { server: 'https://127.0.0.1', context: 'bench' },
});
client.close();
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({
  wallMs,
  cpuMs: (used.user + used.system) / 1000,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  objects: result.objects,
  commit: result.commit,
}));
