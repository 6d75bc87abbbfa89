// The API server goes away under a running watch (stopped: connections refused; or partitioned:
// nothing refused, nothing answered): once nothing has been answered for --max-unreachable, /readyz
// answers 503 with why, the metric and the log say so; it recovers when the server is back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startSimulator } from '../../lib/sim/index.ts';
import { eventually, startSeededSimulator } from '../helpers/cluster.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { startPartitionProxy } from './partition-proxy.ts';
import { headOf, metricsOf, readyz, startWatch, statusUrlOf } from './running-watch.ts';

test('an API server that stopped answering makes /readyz fail after --max-unreachable, and recover when it is back', async () => {
  const tmp = temporaryDirectory();
  const sim = await startSeededSimulator({ bookmarkIntervalMs: 500 });
  const port = Number(new URL(sim.url).port);
  const repo = join(tmp.path, 'repo');
  const running = startWatch(sim, repo, '--listen', '127.0.0.1:0', '--max-unreachable', '2s', '--batch', '100ms');
  let revived: Awaited<ReturnType<typeof startSimulator>> | undefined;
  try {
    const base = await statusUrlOf(running);
    await eventually(() => headOf(repo), 20_000, 'the first full sync committed');
    await eventually(async () => (await readyz(base)).status === 200, 5000, 'ready');

    const stoppedAt = Date.now();
    await sim.stop();
    const answer = await eventually(
      async () => {
        const current = await readyz(base);
        return current.status === 503 && current;
      },
      15_000,
      `/readyz to fail (output: ${running.output()})`,
    );
    // Counted from the last answer, which the probe keeps within a third of the bound of the stop.
    assert.ok(Date.now() - stoppedAt >= 1300, 'not before the bound');
    const [, seconds] =
      /^api: no answer from the API server for (\d+)s: cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: connection refused$/.exec(
        answer.body,
      ) ?? [];
    assert.ok(Number(seconds) >= 2, answer.body);
    assert.match(await metricsOf(base), /kubesnap_ready\{source="api"\} 0/);
    await eventually(() => /error: not ready source=api reason=/.test(running.output()), 5000, 'the error in the log');

    revived = await startSimulator({ port, token: sim.token, bookmarkIntervalMs: 500 });
    await eventually(
      async () => (await readyz(base)).status === 200,
      30_000,
      `/readyz ok again (output: ${running.output()})`,
    );
    await eventually(() => /ready again source=api/.test(running.output()), 5000, 'the recovery in the log');
    running.child.kill('SIGTERM');
    assert.is(await running.exited, 0, running.output());
  } finally {
    running.child.kill('SIGKILL');
    await revived?.stop();
    tmp.remove();
  }
});

test('an API server behind a partition (connections hang, open streams go quiet) makes /readyz fail too', async () => {
  const tmp = temporaryDirectory();
  const sim = await startSeededSimulator({ bookmarkIntervalMs: 500 });
  const proxy = await startPartitionProxy(sim, join(tmp.path, 'kubeconfig'));
  const repo = join(tmp.path, 'repo');
  const running = startWatch(proxy, repo, '--listen', '127.0.0.1:0', '--max-unreachable', '3s', '--batch', '100ms');
  try {
    const base = await statusUrlOf(running);
    await eventually(() => headOf(repo), 20_000, 'the first full sync committed');
    await eventually(async () => (await readyz(base)).status === 200, 5000, 'ready');

    const partitionedAt = Date.now();
    proxy.partition();
    const answer = await eventually(
      async () => {
        const current = await readyz(base);
        return current.status === 503 && current;
      },
      15_000,
      `/readyz to fail (output: ${running.output()})`,
    );
    assert.ok(Date.now() - partitionedAt >= 2000, 'not before the bound');
    assert.match(
      answer.body,
      /^api: no answer from the API server for \d+s: cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: no answer within 1000 ms$/,
    );

    proxy.heal();
    await eventually(
      async () => (await readyz(base)).status === 200,
      30_000,
      `/readyz ok again (output: ${running.output()})`,
    );
    running.child.kill('SIGTERM');
    assert.is(await running.exited, 0, running.output());
  } finally {
    running.child.kill('SIGKILL');
    await proxy.close();
    await sim.stop();
    tmp.remove();
  }
});

test.run();
