// Two replicas of `watch --leader-elect`, as a RollingUpdate runs them side by side: both are Ready
// (a standby that is not would stall the rollout), exactly one leads by kubesnap_leader, and the
// leader's SIGTERM hands the Lease to the standby, which then commits.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { eventually, startSeededSimulator } from '../helpers/cluster.ts';
import { git, temporaryDirectory } from '../helpers/processes.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { metricsOf, readyz, startWatch, statusUrlOf, type RunningWatch } from './running-watch.ts';

async function isLeader(base: string): Promise<boolean> {
  const value = /^kubesnap_leader (\d)$/m.exec(await metricsOf(base))?.[1];
  assert.ok(value !== undefined, 'kubesnap_leader is exported');
  return value === '1';
}

test('two replicas: both ready, one leader by the metric, SIGTERM of the leader hands over', async () => {
  const tmp = temporaryDirectory();
  const sim = await startSeededSimulator({ bookmarkIntervalMs: 500 });
  const replicas: RunningWatch[] = [];
  try {
    for (const name of ['a', 'b']) {
      replicas.push(
        startWatch(
          sim,
          join(tmp.path, name),
          '--leader-elect',
          '--lease-namespace',
          'default',
          '--listen',
          '127.0.0.1:0',
          '--batch',
          '100ms',
        ),
      );
    }
    const bases = await Promise.all(replicas.map(statusUrlOf));
    await eventually(
      async () => (await Promise.all(bases.map(readyz))).every((answer) => answer.status === 200),
      20_000,
      'both replicas ready',
    );
    const leaders = await Promise.all(bases.map(isLeader)).catch((error) => {
      throw new Error(`${error.message}: ${replicas.map((replica) => replica.output()).join('\n----\n')}`);
    });
    assert.is(leaders.filter(Boolean).length, 1, 'exactly one leader');
    const leader = leaders.indexOf(true);
    const standby = 1 - leader;
    assert.is((await readyz(bases[standby])).body, 'ok; leader: standby (another replica holds the lease)');

    replicas[leader].child.kill('SIGTERM');
    assert.is(await replicas[leader].exited, 0, replicas[leader].output());
    await eventually(() => isLeader(bases[standby]), 20_000, 'the standby taking over');
    await eventually(async () => (await readyz(bases[standby])).status === 200, 20_000, 'the new leader ready');
    assert.is(
      (await kubectl(sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', 'after-handover', '--from-literal=k=v']))
        .code,
      0,
    );
    const repo = join(tmp.path, ['a', 'b'][standby]);
    await eventually(
      async () =>
        /shop\/configmaps\/after-handover\.yaml/.test(await git(repo, 'show', '--stat', 'HEAD').catch(() => '')),
      20_000,
      'the new leader committing',
    );
  } finally {
    for (const replica of replicas) replica.child.kill('SIGKILL');
    await sim.stop();
    tmp.remove();
  }
});

test.run();
