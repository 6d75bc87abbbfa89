// The first full sync is one commit whatever its size: its lists hand their objects on one by one, and the writer,
// held until every collection is listed, does not make them wait for room (a wait no commit could end).
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { freshSnapshotFiles, objectFiles } from '../helpers/cluster.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';
import { configMap, startHeldSync } from './backpressure-setup.ts';

const tests = simulatorSuite('backpressure, first sync', { prefix: 'kubesnap-backpressure-first-sync-' });

tests('a first sync of collections far beyond maxBacklog (two pages of one) is one commit', async ({ sim, tmp }) => {
  // More than a list page of 500, and 60 times maxBacklog.
  sim.seed(Array.from({ length: 600 }, (_, i) => configMap(`first-${i}`)));
  const held = await startHeldSync(sim, join(tmp.path, 'repo'), { maxBacklog: 10 });
  try {
    const log = await held.repository.log();
    assert.is(log.length, 1, 'one commit');
    const expected = await freshSnapshotFiles(sim, join(tmp.path, 'fresh'), held.repository.gitdir);
    assert.equal(objectFiles(await held.repository.readFiles()), expected, 'the whole cluster in it');
  } finally {
    await held.stop();
  }
});

tests.run();
