// A failed packing or pack merge (the store's compactionFailure) is shown: an error line once, and a note on /readyz
// and kubesnap_ready{source="store"} while the watch stays ready (nothing is lost, commits go on).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { createLogger } from '../../lib/log/index.ts';
import { KubesnapError } from '../../lib/errors/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { ClusterSync } from '../../lib/sync/index.ts';
import { StoreCompaction } from '../../lib/sync/store-compaction.ts';
import { clientFor, eventually, startSeededSimulator, testAuthor, testCluster } from '../helpers/cluster.ts';
import { temporaryDirectory } from '../helpers/processes.ts';

const mergeFailure = () =>
  new KubesnapError('EPACKGONE', 'the pack pack-1234 was removed from the repository while it was being merged.', 1);

function logged(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, logger: createLogger({ stream: { write: (line: string) => lines.push(line) } }) };
}

test('a failure is logged at error level once however often it is looked at, its end once at info; ready throughout, with a note', () => {
  const repository: { compactionFailure: Error | undefined } = { compactionFailure: undefined };
  const { lines, logger } = logged();
  const store = new StoreCompaction(repository, logger);
  assert.equal(store.check(), { ready: true, detail: 'ok' });

  repository.compactionFailure = mergeFailure();
  for (let look = 0; look < 5; look++) {
    const { ready, detail } = store.check();
    assert.ok(ready, 'a failed merge loses nothing: the watch stays ready');
    assert.match(detail, /packing the object database failed .*: the pack pack-1234 was removed/);
  }
  // Each later commit's attempt keeps a failure of its own: still the same failing state, not a new line.
  repository.compactionFailure = mergeFailure();
  store.check();
  assert.is(lines.filter((line) => line.startsWith('error')).length, 1, lines.join(''));
  assert.match(lines[0], /packing the object database failed.*pack-1234/);

  repository.compactionFailure = undefined;
  assert.equal(store.check(), { ready: true, detail: 'ok' });
  store.check();
  assert.is(lines.length, 2, lines.join(''));
  assert.match(lines[1], /packing the object database works again/);
  assert.not.ok(lines[1].startsWith('error'));
});

test('a running ClusterSync names the failure on its readiness (ready) and as kubesnap_ready{source="store"} 1', async () => {
  const sim = await startSeededSimulator();
  const client = await clientFor(sim);
  const tmp = temporaryDirectory();
  const repository = await SnapshotRepository.open(join(tmp.path, 'repo'), { create: true });
  const { lines, logger } = logged();
  const sync = new ClusterSync({ client, repository, author: testAuthor, cluster: testCluster, batchMs: 100, logger });
  try {
    await sync.start();
    await eventually(() => sync.readiness().ready, 10_000, 'ready after the first full sync');
    assert.is(sync.readiness().detail, 'ok');
    let failure: Error | undefined = mergeFailure();
    Object.defineProperty(repository, 'compactionFailure', { get: () => failure });
    const readiness = sync.readiness();
    assert.ok(readiness.ready);
    assert.match(readiness.detail, /^ok; store: packing the object database failed/);
    assert.match(await sync.metrics.registry.metrics(), /kubesnap_ready\{source="store"\} 1/);
    await eventually(
      () => lines.some((line) => /^error.*packing the object database failed/.test(line)),
      5_000,
      'the error line',
    );
    failure = undefined;
    assert.is(sync.readiness().detail, 'ok');
  } finally {
    await sync.stop();
    client.close();
    await sim.stop();
    tmp.remove();
  }
});

test.run();
