// A relist goes through the writer's backpressure object by object: it reads no further than maxBacklog new objects
// until a commit makes room, instead of staging its whole collection at once. When it ends, what vanished while the
// watch could not see it is deleted, exactly that, and everything listed is in the history once.
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import type { ClusterSync } from '../../lib/sync/index.ts';
import { clientFor, eventually, freshSnapshotFiles, objectFiles } from '../helpers/cluster.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';
import { changesCommitted, commitUntil, configMap, eventsRead, startHeldSync } from './backpressure-setup.ts';

const tests = simulatorSuite('backpressure, relist', { prefix: 'kubesnap-backpressure-relist-' });

const MAX_BACKLOG = 20;

async function waiting(sync: ClusterSync): Promise<number> {
  const gauge = await sync.metrics.registry.getSingleMetric('kubesnap_backpressure_waiting')!.get();
  return gauge.values[0]?.value ?? 0;
}

tests(
  'a relist stages no more than maxBacklog objects until a commit makes room, and deletes what vanished',
  async ({ sim, tmp }) => {
    const held = await startHeldSync(sim, join(tmp.path, 'repo'), { maxBacklog: MAX_BACKLOG });
    const client = await clientFor(sim);
    try {
      sim.seed(['doomed-0', 'doomed-1', 'doomed-2', 'kept-0', 'kept-1'].map((name) => configMap(name)));
      await commitUntil(held.sync, async () => (await eventsRead(held.sync, 'configmaps')) === 5);
      const commitsBefore = (await held.repository.log()).length;

      // The ConfigMaps watch reads maxBacklog changes and waits for room; meanwhile its stream is cut, three objects
      // are deleted, a hundred created, and the history it would resume from is compacted away: only a relist sees them.
      sim.seed(Array.from({ length: MAX_BACKLOG }, (_, i) => configMap(`filler-${i}`)));
      await eventually(() => held.sync.pendingCount === MAX_BACKLOG, 10_000, 'the watch waiting for room');
      sim.faults.dropWatches();
      for (const name of ['doomed-0', 'doomed-1', 'doomed-2'])
        await client.json('DELETE', `/api/v1/namespaces/monitoring/configmaps/${name}`);
      sim.seed(Array.from({ length: 100 }, (_, i) => configMap(`relisted-${i}`)));
      sim.faults.compactHistory();
      const expected = await freshSnapshotFiles(sim, join(tmp.path, 'fresh'), held.repository.gitdir);

      await held.sync.flush();
      await eventually(
        async () => held.sync.pendingCount >= MAX_BACKLOG && (await waiting(held.sync)) >= 1,
        10_000,
        'the relist waiting for room',
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.is(held.sync.pendingCount, MAX_BACKLOG, 'the relist reads no further than maxBacklog new objects');

      await commitUntil(
        held.sync,
        async () =>
          JSON.stringify([...objectFiles(await held.repository.readFiles())]) === JSON.stringify([...expected]),
      );
      assert.equal(await changesCommitted(held.repository, commitsBefore), {
        created: MAX_BACKLOG + 100,
        updated: 0,
        deleted: 3,
      });
    } finally {
      client.close();
      await held.stop();
    }
  },
);

tests.run();
