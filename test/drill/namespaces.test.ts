// The namespaces drill through the real CLI against the simulator: each namespace restored as <ns>-drill-<id>
// and deleted after; a drill killed with SIGKILL leaves its namespaces, which the next drill deletes.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { eventually } from '../helpers/cluster.ts';
import { kubectlOk, startRestoreCluster, type RestoreCluster } from '../restore/restore-setup.ts';
import { namespacesDrillArguments, runNamespacesDrill } from './namespaces-drill.ts';

const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));
let cluster: RestoreCluster;

test.before(async () => {
  cluster = await startRestoreCluster();
  await cluster.snapshot();
});

test.after(async () => {
  await cluster?.stop();
});

/** Drill namespaces still there and not being deleted. */
function drillNamespaces(): string[] {
  return cluster.sim
    .list('', 'namespaces')
    .filter((n) => /-drill-/.test(n.metadata.name!) && !n.metadata.deletionTimestamp)
    .map((n) => n.metadata.name!);
}

const drill = (...more: string[]) => runNamespacesDrill(cluster.sim.kubeconfigPath, cluster.repo, ...more);

/**
 * A drill slowed down by the simulator (150 ms a request), sent `signal` once it has made a drill namespace:
 * its exit code and what it wrote to stderr.
 */
async function interruptedDrill(signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
  cluster.sim.faults.delay(150);
  const child = spawn(process.execPath, [bin, ...namespacesDrillArguments(cluster.sim.kubeconfigPath, cluster.repo)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await eventually(() => drillNamespaces().length > 0, 20_000, 'the drill to create a namespace');
    child.kill(signal);
    return { code: await closed, stderr };
  } finally {
    child.kill('SIGKILL');
    cluster.sim.faults.delay(0);
  }
}

test('a namespaces drill restores into <ns>-drill-<id> and deletes what it created, leaving production alone', async () => {
  const before = cluster.sim
    .list('', 'namespaces')
    .map((n) => n.metadata.name!)
    .sort();
  const result = await drill('-o', 'json');
  assert.is(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout);
  assert.match(report.parts[0].summary, /restored into \d+ drill namespaces/);
  assert.match(
    report.parts[0].notes.join('\n'),
    /Deployments and StatefulSets were not waited for: the cluster has no nodes/,
  );
  assert.equal(drillNamespaces(), []);
  assert.equal(
    cluster.sim
      .list('', 'namespaces')
      .map((n) => n.metadata.name!)
      .filter((n) => !/-drill-/.test(n))
      .sort(),
    before,
  );
});

test('a drill killed mid-restore leaves its namespaces; the next drill deletes them and its own', async () => {
  await interruptedDrill('SIGKILL');
  const leftovers = drillNamespaces();
  assert.ok(leftovers.length > 0);
  const next = await drill('--no-record');
  assert.is(next.code, 0, next.stdout + next.stderr);
  assert.equal(drillNamespaces(), [], `left behind: ${drillNamespaces().join(', ')}`);
});

test('SIGINT during a namespaces drill deletes what it created before exiting', async () => {
  const { code, stderr } = await interruptedDrill('SIGINT');
  assert.is(code, 1);
  assert.match(
    stderr,
    /the drill was interrupted and nothing was recorded; the drill namespaces it made were deleted\./,
  );
  assert.equal(drillNamespaces(), []);
});

test('on a cluster with nodes, a Deployment that does not become ready fails the drill, named, and is still cleaned up', async () => {
  await kubectlOk(
    cluster.sim,
    ['create', '-f', '-'],
    JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } }),
  );
  // No wait at all: the first poll is past the deadline (the polls themselves are timed on a clock in workload-readiness.test.ts).
  const result = await drill('--ready-timeout', '0', '--no-record');
  assert.is(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /Deployment\/shop-drill-[0-9a-f]{8}\/web: 0 of 2 replicas ready after 0 s/);
  assert.equal(drillNamespaces(), []);
});

test.run();
