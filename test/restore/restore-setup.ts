// A simulated cluster with the fixture objects, a snapshot repository of it, and a client for both.
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { systemClock } from '../../lib/health/index.ts';
import { KubeClient, loadClusterConnection } from '../../lib/kube/index.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { takeSnapshot } from '../../lib/snapshot/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { kubectl } from '../helpers/kubectl.ts';

export const fixtureDir = new URL('../fixtures/cluster/', import.meta.url).pathname;
export const fixtureFiles = ['00-namespaces.yaml', '05-crd.yaml', '10-shop.yaml', '20-payments.yaml'];

type CliOptions = Parameters<typeof runCli>[1];

export interface RestoreCluster {
  sim: Simulator;
  client: KubeClient;
  repository: SnapshotRepository;
  repo: string;
  tmp: { path: string; remove(): void };
  kubectl(...args: string[]): Promise<string>;
  /** The real CLI on this cluster and repository. */
  kubesnap(args: string[], options?: CliOptions): Promise<CliResult>;
  snapshot(): Promise<string | undefined>;
  stop(): Promise<void>;
}

/** The real CLI on a cluster and a repository: `kubesnap --kubeconfig KUBECONFIG --repo REPO ARGS…`. */
export function kubesnapOn(kubeconfig: string, repo: string, args: string[], options?: CliOptions): Promise<CliResult> {
  return runCli(['--kubeconfig', kubeconfig, '--repo', repo, ...args], options);
}

export async function connect(sim: Simulator): Promise<KubeClient> {
  return new KubeClient(await loadClusterConnection({ kubeconfig: sim.kubeconfigPath }));
}

/** kubectl as a second client; fails the test when it does. */
export async function kubectlOk(sim: Simulator, args: string[], input?: string): Promise<string> {
  const result = await kubectl(sim.kubeconfigPath, args, input);
  assert.is(result.code, 0, `kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

export async function startRestoreCluster(files = fixtureFiles): Promise<RestoreCluster> {
  const sim = await startSimulator();
  const tmp = temporaryDirectory('kubesnap-restore-');
  const repo = join(tmp.path, 'repo');
  const repository = await SnapshotRepository.open(repo, { create: true });
  const client = await connect(sim);
  for (const file of files) await kubectlOk(sim, ['create', '-f', join(fixtureDir, file)]);
  let clock = Date.parse('2026-11-20T10:00:00Z');
  const cluster: RestoreCluster = {
    sim,
    client,
    repository,
    repo,
    tmp,
    kubectl: (...args) => kubectlOk(sim, args),
    kubesnap: (args, options) => kubesnapOn(sim.kubeconfigPath, repo, args, options),
    async snapshot() {
      // Commits one minute apart, so `--at` has distinct times to pick between.
      clock += 60_000;
      const now = clock;
      const result = await takeSnapshot({
        client,
        repository,
        cluster: { server: sim.url, context: 'sim' },
        author: { name: 'test', email: 'test@localhost' },
        clock: { ...systemClock, now: () => now },
      });
      return result.commit;
    },
    async stop() {
      client.close();
      await sim.stop();
      tmp.remove();
    },
  };
  return cluster;
}
