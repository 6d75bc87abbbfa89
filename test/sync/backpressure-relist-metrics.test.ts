// A relist waiting in its turn until a commit makes room (RelistTurns) goes through the same metered wait as a watch
// stream's: it shows in kubesnap_backpressure_waiting (and its time in kubesnap_backpressure_seconds_total).
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import type { ClusterSync } from '../../lib/sync/index.ts';
import { eventually } from '../helpers/cluster.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';
import { configMap, startHeldSync } from './backpressure-setup.ts';

const tests = simulatorSuite('backpressure metrics, relists', { prefix: 'kubesnap-backpressure-relist-metrics-' });

async function waiting(sync: ClusterSync): Promise<number> {
  const gauge = await sync.metrics.registry.getSingleMetric('kubesnap_backpressure_waiting')!.get();
  return gauge.values[0]?.value ?? 0;
}

tests('a relist waiting for room counts as a source waiting', async ({ sim, tmp }) => {
  const held = await startHeldSync(sim, join(tmp.path, 'repo'), { maxBacklog: 5 });
  try {
    sim.seed(Array.from({ length: 6 }, (_, i) => configMap(`held-${i}`)));
    await eventually(async () => (await waiting(held.sync)) === 1, 10_000, 'the ConfigMaps stream waiting for room');
    // Every other collection's watch ends, and the versions they would resume from are gone: they must relist, and
    // the first of them waits for room in its turn.
    sim.faults.dropWatches();
    sim.faults.compactHistory();
    await eventually(async () => (await waiting(held.sync)) === 2, 10_000, 'a relist waiting for room beside it');
    const relists = await held.sync.metrics.registry.getSingleMetric('kubesnap_watch_relists_total')!.get();
    assert.is(
      relists.values.reduce((sum, value) => sum + value.value, 0),
      0,
      'the relist waits before it starts',
    );
  } finally {
    await held.stop();
  }
});

tests.run();
