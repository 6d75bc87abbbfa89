// A namespaces drill waits for its Deployments on the drill's Clock: the tests move a ManualClock through the polls
// and the 5-minute timeout instead of waiting for them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runDrill } from '../../lib/drill/index.ts';
import type { KubeClient } from '../../lib/kube/index.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { clientFor, eventually } from '../helpers/cluster.ts';
import { kubectlOk } from '../helpers/kubectl.ts';
import { ManualClock } from '../health/manual-clock.ts';
import { deployment, namespace, writeRepository } from './drill-setup.ts';

let sim: Simulator;
let client: KubeClient;
let repo: Awaited<ReturnType<typeof writeRepository>>;

test.before(async () => {
  sim = await startSimulator();
  // A node: the cluster can run workloads, so the drill waits for them instead of noting it cannot.
  sim.seed([{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } }]);
  client = await clientFor(sim);
  repo = await writeRepository([namespace('shop'), deployment('shop', 'web', 'web')]);
});

test.after(async () => {
  client?.close();
  await sim?.stop();
  repo?.remove();
});

function drillOnClock(clock: ManualClock) {
  return runDrill({
    repository: repo.repository,
    config: { target: { kind: 'namespaces', client }, readyTimeoutMs: 300_000 },
    clock,
  });
}

/** The drill's copy of shop/web, once the drill has restored it and waits for it on the clock. */
async function waitingDrillDeployment(clock: ManualClock): Promise<{ namespace: string }> {
  return eventually(
    () => {
      const copy = sim.list('apps', 'deployments').find((d) => /^shop-drill-/.test(d.metadata.namespace!));
      return clock.pending > 0 && copy ? { namespace: copy.metadata.namespace! } : undefined;
    },
    20_000,
    'the drill to wait for its Deployment on the clock',
  );
}

const drillNamespaces = () =>
  sim
    .list('', 'namespaces')
    .filter((n) => /-drill-/.test(n.metadata.name!) && !n.metadata.deletionTimestamp)
    .map((n) => n.metadata.name!);

test('a Deployment not ready when the clock passes the timeout fails the drill, named, and is still cleaned up', async () => {
  const clock = new ManualClock();
  const drill = drillOnClock(clock);
  await waitingDrillDeployment(clock);
  clock.advance(300_000);
  const report = await drill;
  assert.is(report.passed, false);
  assert.match(
    report.parts[0].problems.join('\n'),
    /^Deployment\/shop-drill-[0-9a-f]{8}\/web: 0 of 1 replicas ready after 300 s$/,
  );
  assert.equal(drillNamespaces(), []);
});

test('a Deployment ready at the next poll passes; the report times the drill on the clock', async () => {
  const clock = new ManualClock();
  const drill = drillOnClock(clock);
  const { namespace: copy } = await waitingDrillDeployment(clock);
  await kubectlOk(sim.kubeconfigPath, [
    'patch',
    'deployment',
    'web',
    '-n',
    copy,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status: { replicas: 1, readyReplicas: 1 } }),
  ]);
  clock.advance(2_000);
  const report = await drill;
  assert.is(report.passed, true, report.parts[0].problems.join('\n'));
  assert.is(report.startedAt, new Date(Date.UTC(2026, 0, 1)).toISOString());
  assert.is(report.durationMs, 2_000);
  assert.equal(drillNamespaces(), []);
});

test.run();
