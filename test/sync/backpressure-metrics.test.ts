// kubesnap_backpressure_waiting and kubesnap_backpressure_seconds_total on the real /metrics endpoint: how many
// watch streams wait for a commit to make room, and for how long the watch has waited (also while it still waits).
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { WatchMetrics } from '../../lib/metrics/index.ts';
import { startStatusServer } from '../../lib/metrics/status-server.ts';
import { ManualClock } from '../health/manual-clock.ts';
import { eventually } from '../helpers/cluster.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';
import { commitUntil, configMap, eventsRead, startHeldSync } from './backpressure-setup.ts';

const tests = simulatorSuite('backpressure metrics', { prefix: 'kubesnap-backpressure-metrics-' });

tests(
  'the metrics say a stream waits and for how long it has waited, also before the wait ends',
  async ({ sim, tmp }) => {
    const clock = new ManualClock();
    const held = await startHeldSync(sim, join(tmp.path, 'repo'), { maxBacklog: 5, metrics: new WatchMetrics(clock) });
    const server = await startStatusServer({
      listen: '127.0.0.1:0',
      registry: held.sync.metrics.registry,
      readiness: () => held.sync.readiness(),
    });
    const scrape = async (name: string): Promise<number> => {
      const text = await (await fetch(`http://${server.address}/metrics`)).text();
      const value = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1];
      assert.ok(value !== undefined, `${name} is exported`);
      return Number(value);
    };
    try {
      assert.is(await scrape('kubesnap_backpressure_waiting'), 0);
      assert.is(await scrape('kubesnap_backpressure_seconds_total'), 0);

      sim.seed(Array.from({ length: 12 }, (_, i) => configMap(`held-${i}`)));
      await eventually(async () => (await scrape('kubesnap_backpressure_waiting')) === 1, 10_000, 'a stream waiting');
      clock.advance(7_000);
      assert.is(await scrape('kubesnap_backpressure_seconds_total'), 7, 'a wait still running counts');
      clock.advance(3_000);
      assert.is(await scrape('kubesnap_backpressure_seconds_total'), 10);

      await commitUntil(held.sync, async () => (await eventsRead(held.sync, 'configmaps')) === 12);
      assert.is(await scrape('kubesnap_backpressure_waiting'), 0, 'no stream waits once commits made room');
      clock.advance(60_000);
      assert.is(await scrape('kubesnap_backpressure_seconds_total'), 10, 'time without a wait is not counted');
    } finally {
      await server.close();
      await held.stop();
    }
  },
);

tests.run();
