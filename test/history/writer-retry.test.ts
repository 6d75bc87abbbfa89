// A commit that fails is retried by the writer's own timer, with backoff, on a clock the test moves:
// no cluster event is needed for the change to land, and after maxFailingMs the writer gives up once.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HistoryWriter } from '../../lib/history/index.ts';
import type { CommitsFailingError } from '../../lib/history/commit-failures.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { eventually } from '../helpers/cluster.ts';
import { ManualClock } from '../health/manual-clock.ts';
import { configmaps as configMaps } from '../watch/recorder.ts';

const configMap = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'shop' },
  data: { k: name },
});

test('a failed commit is retried on the timer alone, backing off; giving up happens once, at the bound', async () => {
  const tmp = temporaryDirectory('kubesnap-writer-retry-');
  try {
    const dir = join(tmp.path, 'repo.git');
    const repository = await SnapshotRepository.open(dir);
    const clock = new ManualClock();
    const gaveUp: CommitsFailingError[] = [];
    const writer = new HistoryWriter({
      repository,
      clock,
      author: { name: 'test', email: 'test@example.com' },
      cluster: { server: 'https://127.0.0.1', context: 'test' },
      batchMs: 100,
      retryFirstMs: 1000,
      retryMaxMs: 4000,
      maxFailingMs: 60_000,
      onGiveUp: (error) => gaveUp.push(error),
    });
    await writer.start();
    writer.upsert(configMaps, configMap('first'));
    await writer.flush();
    const lock = join(dir, 'refs', 'heads', 'main.lock');
    writeFileSync(lock, '');

    writer.upsert(configMaps, configMap('second'));
    const attempts = () => Number(/\((\d+) attempts/.exec(writer.failures.check().detail)?.[1] ?? 0);
    clock.advance(100);
    await eventually(() => attempts() === 1, 5000, 'the batch commit failing');
    assert.is(writer.pendingCount, 1, 'the change stays pending');
    clock.advance(999);
    assert.is(attempts(), 1, 'not retried before 1 s');
    clock.advance(1);
    await eventually(() => attempts() === 2, 5000, 'the retry after 1 s');
    clock.advance(2000);
    await eventually(() => attempts() === 3, 5000, 'the retry 2 s later');

    rmSync(lock);
    clock.advance(4000);
    await eventually(() => !writer.failures.isFailing, 5000, 'the retry succeeding');
    assert.is(writer.pendingCount, 0);
    assert.match((await repository.log({ limit: 1 }))[0].message, /created shop\/configmaps\/second/);

    writeFileSync(lock, '');
    writer.upsert(configMaps, configMap('third'));
    for (let i = 0; i < 40 && gaveUp.length === 0; i++) {
      clock.advance(4000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.is(gaveUp.length, 1);
    assert.match(
      gaveUp[0].message,
      /^commits have failed for 1m \(\d+ attempts\); the last error: .*main\.lock exists/,
    );
    clock.advance(600_000);
    assert.is(gaveUp.length, 1, 'no retry after giving up');
    rmSync(lock);
    await writer.stop();
    await repository.close();
  } finally {
    tmp.remove();
  }
});

test.run();
