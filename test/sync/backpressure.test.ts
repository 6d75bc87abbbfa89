// Backpressure through the real watch path: once maxBacklog changes are pending, ClusterSync's watch reads no
// further until a commit has made room, so the events wait in the API server's stream; none is lost.
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { eventually, freshSnapshotFiles, objectFiles } from '../helpers/cluster.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';
import { watch } from '../sim/http.ts';
import { changesCommitted, commitUntil, configMap, eventsRead, startHeldSync } from './backpressure-setup.ts';

const tests = simulatorSuite('backpressure', { prefix: 'kubesnap-backpressure-' });

tests(
  'the watch reads no further than maxBacklog changes until a commit makes room; then each lands once',
  async ({ sim, tmp }) => {
    const held = await startHeldSync(sim, join(tmp.path, 'repo'), { maxBacklog: 10 });
    try {
      const commitsBefore = (await held.repository.log()).length;
      const witness = await watch(
        sim,
        `/api/v1/namespaces/monitoring/configmaps?watch=1&resourceVersion=${sim.resourceVersion}`,
      );
      sim.seed(Array.from({ length: 50 }, (_, i) => configMap(`held-${i}`)));
      // Once another client has all 50, so has the watch's socket: it would read them now but for the backpressure.
      await witness.next(50);
      witness.close();
      await eventually(async () => (await eventsRead(held.sync, 'configmaps')) >= 10, 10_000, 'ten events read');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.is(await eventsRead(held.sync, 'configmaps'), 10, 'the watch waits for room after maxBacklog changes');
      assert.is(held.sync.pendingCount, 10);

      await commitUntil(held.sync, async () => (await eventsRead(held.sync, 'configmaps')) === 50);
      const expected = await freshSnapshotFiles(sim, join(tmp.path, 'fresh'), held.repository.gitdir);
      assert.equal(objectFiles(await held.repository.readFiles()), expected, 'every change is in the history');
      assert.equal(await changesCommitted(held.repository, commitsBefore), { created: 50, updated: 0, deleted: 0 });
    } finally {
      await held.stop();
    }
  },
);

tests(
  'stopping a watch that waits for room does not wait for a commit: what was read is committed',
  async ({ sim, tmp }) => {
    const held = await startHeldSync(sim, join(tmp.path, 'repo'), { maxBacklog: 10 });
    const commitsBefore = (await held.repository.log()).length;
    sim.seed(Array.from({ length: 50 }, (_, i) => configMap(`stopping-${i}`)));
    await eventually(async () => (await eventsRead(held.sync, 'configmaps')) >= 10, 10_000, 'ten events read');
    assert.is(held.sync.pendingCount, 10, 'the watch waits for room');
    // Nothing but stop() can make room here: the watcher must not wait for a commit before it stops.
    let giveUp: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      held.stop().then(() => 'stopped'),
      new Promise((resolve) => {
        giveUp = setTimeout(resolve, 20_000, 'still waiting for room');
      }),
    ]);
    clearTimeout(giveUp); // else the test's process lives on until it fires
    assert.is(outcome, 'stopped');
    const created = (await changesCommitted(held.repository, commitsBefore)).created;
    assert.ok(created >= 10, `${created} of the changes read were committed at stop`);
  },
);

tests.run();
