// A watch held back by backpressure leaves its events in the API server's stream, and a real server does not keep
// them forever: it ends a watcher whose buffer stays full. The watch then reads what was queued, watches again from
// the last resourceVersion it read, and the history ends with every change, each committed once.
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { freshSnapshotFiles, objectFiles } from '../helpers/cluster.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';
import { changesCommitted, commitUntil, configMap, eventsRead, startHeldSync } from './backpressure-setup.ts';

const tests = simulatorSuite('backpressure, dropped watch', {
  prefix: 'kubesnap-backpressure-dropped-',
  simulator: { watchBufferEvents: 5 },
});

// Big enough that the kernel's socket buffers fill after a few hundred events.
const FILLER = 'x'.repeat(16 * 1024);

tests('a watch the server ends while it waits for room watches again and loses nothing', async ({ sim, tmp }) => {
  const held = await startHeldSync(sim, join(tmp.path, 'repo'), { maxBacklog: 50 });
  try {
    const commitsBefore = (await held.repository.log()).length;
    let writes = 0;
    // One new ConfigMap a turn, until the server has ended the watch, then as many again after it.
    while (sim.terminatedWatches === 0 && writes < 2000) {
      sim.seed([configMap(`held-${writes++}`, { filler: FILLER })]);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.is(sim.terminatedWatches, 1, `the server ended the watch that was not reading (${writes} writes)`);
    assert.is(await eventsRead(held.sync, 'configmaps'), 50, 'the watch read maxBacklog events, then waited');
    for (const end = writes * 2; writes < end; ) sim.seed([configMap(`held-${writes++}`, { filler: FILLER })]);

    await commitUntil(held.sync, async () => (await eventsRead(held.sync, 'configmaps')) >= writes);
    const restarts = await held.sync.metrics.registry.getSingleMetric('kubesnap_watch_restarts_total')!.get();
    assert.ok(
      restarts.values.some((value) => value.labels.resource === 'configmaps' && value.value >= 1),
      'the configmaps watch was started again',
    );
    const expected = await freshSnapshotFiles(sim, join(tmp.path, 'fresh'), held.repository.gitdir);
    assert.equal(objectFiles(await held.repository.readFiles()), expected, 'every change is in the history');
    assert.equal(await changesCommitted(held.repository, commitsBefore), { created: writes, updated: 0, deleted: 0 });
  } finally {
    await held.stop();
  }
});

tests.run();
