// `kubesnap watch --max-backlog <changes>`: a bad value in its variable is one sentence and exit 2 (bad flags are in
// test/sync/watch-command's table), and the bound reaches the writer: with no commit due, the watch stops reading
// once that many changes are pending.
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import type { KubeObject } from '../../lib/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { eventually } from '../helpers/cluster.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';
import { headOf, metricsOf, startWatch, statusUrlOf } from '../sync/running-watch.ts';

const tests = simulatorSuite('watch --max-backlog', { prefix: 'kubesnap-max-backlog-' });

tests(
  'a KUBESNAP_WATCH_MAX_BACKLOG that is not a positive whole number is one sentence and exit 2',
  async ({ sim, tmp }) => {
    const fromEnvironment = await runCli(
      ['--kubeconfig', sim.kubeconfigPath, '--repo', join(tmp.path, 'bad'), 'watch'],
      {
        env: { KUBESNAP_WATCH_MAX_BACKLOG: 'lots' },
      },
    );
    assert.is(fromEnvironment.code, 2, fromEnvironment.stderr);
    assert.is(fromEnvironment.stderr, 'error: KUBESNAP_WATCH_MAX_BACKLOG "lots" is not a positive whole number.\n');
  },
);

tests('with 12 changes and no commit due, --max-backlog 5 holds the watch back', async ({ sim, tmp }) => {
  const repo = join(tmp.path, 'held');
  // An hour's batch window and no --batch-max in reach: nothing is committed after the first sync, so only the
  // backlog bound can stop the watch from reading all 12 changes (the default, 10,000, never would).
  const running = startWatch(sim, repo, '--max-backlog', '5', '--batch', '1h', '--listen', '127.0.0.1:0');
  try {
    const base = await statusUrlOf(running);
    await eventually(() => headOf(repo), 20_000, 'the first full sync committed');
    const configMap = (name: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'shop' },
      data: { name },
    });
    sim.seed(Array.from({ length: 12 }, (_, i) => configMap(`backlog-${i}`)));
    await eventually(
      async () => /^kubesnap_backpressure_waiting 1$/m.test(await metricsOf(base)),
      20_000,
      `a watch stream waiting for room (output: ${running.output()})`,
    );
    running.child.kill('SIGTERM');
    assert.is(await running.exited, 0, running.output());
  } finally {
    running.child.kill('SIGKILL');
  }
});

tests.run();
