import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors/index.ts';
import { KubeClient, loadClusterConnection } from '../kube/index.ts';
import { silentLogger, type Logger } from '../log/index.ts';
import { packageRoot } from '../runtime/index.ts';
import { loadManifests, startSimulator } from '../sim/index.ts';
import { SnapshotRepository } from '../store/index.ts';
import { ClusterSync } from '../sync/index.ts';
import { demoDay, DemoCluster } from './script.ts';

const DEMO_MARKER = 'kubesnap-demo';
const demoManifests = fileURLToPath(new URL('templates/demo/', packageRoot()));

export interface DemoStepResult {
  title: string;
  commit?: string;
}

export interface DemoResult {
  repositoryDir: string;
  initialCommit?: string;
  steps: DemoStepResult[];
}

/**
 * Starts the simulator seeded with templates/demo, keeps `dir` in step with it as `kubesnap watch`
 * would, and plays the scripted day, one commit per step. `dir` must be absent, empty, or an
 * earlier demo (which is replaced): anything else is refused.
 */
export async function runDemo(options: {
  dir: string;
  logger?: Logger;
  onStep?: (step: DemoStepResult) => void;
}): Promise<DemoResult> {
  const repositoryDir = resolve(options.dir);
  prepareDirectory(repositoryDir);
  const sim = await startSimulator({ seed: loadManifests([demoManifests]) });
  const client = new KubeClient(await loadClusterConnection({ kubeconfig: sim.kubeconfigPath }));
  try {
    const repository = await SnapshotRepository.open(repositoryDir, { create: true, bare: false });
    writeFileSync(
      join(repository.gitdir, DEMO_MARKER),
      'written by kubesnap demo; the next demo may replace this repository\n',
    );
    const sync = new ClusterSync({
      client,
      repository,
      batchMs: 60_000,
      discoveryIntervalMs: 500,
      cluster: { server: sim.url, context: client.connection.contextName },
      author: { name: 'kubesnap demo', email: 'demo@kubesnap.invalid' },
      logger: options.logger ?? silentLogger,
    });
    await sync.start();
    await sync.ready;
    const initialCommit = await sync.flush();
    const cluster = await DemoCluster.connect(client);
    const steps: DemoStepResult[] = [];
    for (const step of demoDay) {
      await step.run(cluster);
      const commit = await settleAndFlush(sync);
      const result = { title: step.title, commit };
      steps.push(result);
      options.onStep?.(result);
    }
    await sync.stop();
    return { repositoryDir, initialCommit, steps };
  } finally {
    client.close();
    await sim.stop();
  }
}

/** Watch events arrive a moment after the writes that caused them: commit once the pending batch stops growing. */
async function settleAndFlush(sync: ClusterSync): Promise<string | undefined> {
  let last = -1;
  let stableSince = Date.now();
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 100));
    if (sync.pendingCount !== last) {
      last = sync.pendingCount;
      stableSince = Date.now();
    } else if (last > 0 && Date.now() - stableSince >= 500) {
      break;
    }
  }
  return sync.flush();
}

function prepareDirectory(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory())
    throw new UsageError(`${dir} exists and is not a folder; the demo will not overwrite it.`);
  if (readdirSync(dir).length === 0) return;
  if (!existsSync(join(dir, '.git', DEMO_MARKER))) {
    throw new UsageError(
      `${dir} exists and is not an earlier kubesnap demo; move it away or run the demo elsewhere (--dir).`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}
