// Figure 5: restore against the simulator. A snapshot of the synthetic cluster is committed, then every object is
// changed in the cluster; planRestore compares all of them with the live ones (all updates) and applyRestore
// patches them back with its default bounded concurrency. Baseline: `kubectl apply --server-side` of the same
// committed files (a sample, kubectl is slow), which is what a user without kubesnap would run.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KubeClient, loadClusterConnection } from '../../lib/kube/index.ts';
import { applyRestore, planCounts, planRestore } from '../../lib/restore/index.ts';
import { takeSnapshot } from '../../lib/snapshot/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { median, runsOf, seconds, timed, timedProcess, times, type Row } from './measure.ts';
import { startSimServer } from './sim-server.ts';

const KUBECTL_SAMPLE = 500;

export async function restoreBenchmark(objectCount: number, runs = 3): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), 'kubesnap-bench-restore-'));
  const sim = await startSimServer(objectCount);
  let client = new KubeClient(await loadClusterConnection({ kubeconfig: sim.kubeconfigPath }));
  try {
    const repository = await SnapshotRepository.open(join(root, 'repo'), { create: true });
    await takeSnapshot({
      client,
      repository,
      author: { name: 'bench', email: 'bench@kubesnap.invalid' },
      cluster: { server: sim.kubeconfigPath, context: 'bench' },
    });
    const indexes = Array.from({ length: objectCount }, (_, i) => i);
    const plans: number[] = [];
    const applies: Array<{ ms: number; objects: number }> = [];
    let counts = '';
    for (let run = 1; run <= runs; run++) {
      await sim.update(indexes, run);
      // A new client per run, as a new `kubesnap restore` process would have (no sockets left idle meanwhile).
      client.close();
      client = new KubeClient(await loadClusterConnection({ kubeconfig: sim.kubeconfigPath }));
      const planned = await timed(() => planRestore({ client, repository }));
      plans.push(planned.wallMs);
      const plan = planned.result;
      counts = Object.entries(planCounts(plan))
        .filter(([, n]) => n)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      const applied = await timed(() => applyRestore(plan, { client }));
      const failed = applied.result.objects.filter((o) => o.outcome === 'failed');
      if (failed.length)
        throw new Error(`restore failed for ${failed.length} objects: ${JSON.stringify(failed[0]).slice(0, 300)}`);
      applies.push({
        ms: applied.wallMs,
        objects: applied.result.objects.filter((o) => ['created', 'updated', 'deleted'].includes(o.outcome)).length,
      });
    }
    const kubectl = await kubectlApplyRate(repository, sim.kubeconfigPath, join(root, 'kubectl'));
    const planMs = median(plans);
    const rate = median(applies.map((a) => a.objects / (a.ms / 1000)));
    return [
      {
        figure: `5. restore plan, ${objectCount.toLocaleString('en')} objects against lib/sim`,
        target: '< 10 s',
        value: seconds(planMs),
        baseline: '',
        ratio: '',
        met: planMs < 10_000,
        notes: [
          `runs: ${runsOf(plans, seconds)}; plan: ${counts} (every object changed in the cluster since the commit)`,
        ],
      },
      {
        figure: '5. restore apply, bounded concurrency',
        target: '≥ 200 objects/s',
        value: `${Math.round(rate)} objects/s`,
        baseline: `${Math.round(kubectl.rate)} objects/s (kubectl apply --server-side)`,
        ratio: times(rate / kubectl.rate),
        met: rate >= 200,
        notes: [
          `runs: ${applies.map((a) => `${a.objects} objects in ${seconds(a.ms)}`).join(', ')} (default concurrency, guarded JSON patches)`,
          `kubectl apply --server-side -R -f of ${kubectl.objects} of the committed files: ${seconds(kubectl.ms)}`,
        ],
      },
    ];
  } finally {
    client.close();
    await sim.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** A sample of the committed files (every namespace and kind alike), applied by kubectl in one invocation. */
async function kubectlApplyRate(
  repository: SnapshotRepository,
  kubeconfig: string,
  dir: string,
): Promise<{ rate: number; ms: number; objects: number }> {
  // Secrets are left out: their committed values are digests, which only kubesnap knows not to apply.
  const files = [...(await repository.readFiles())].filter(
    ([path]) => !path.endsWith('README.md') && !path.includes('/secrets/'),
  );
  const step = Math.max(1, Math.floor(files.length / KUBECTL_SAMPLE));
  const sample = files.filter((_, i) => i % step === 0).slice(0, KUBECTL_SAMPLE);
  for (const [path, id] of sample) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), await repository.readBlob(id));
  }
  const run = await timedProcess([
    'kubectl',
    '--kubeconfig',
    kubeconfig,
    'apply',
    '--server-side',
    '--force-conflicts',
    '-R',
    '-f',
    dir,
  ]);
  return { rate: sample.length / (run.wallMs / 1000), ms: run.wallMs, objects: sample.length };
}
