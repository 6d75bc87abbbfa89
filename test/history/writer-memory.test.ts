// A first sync stages every object of the cluster before its one commit: each pending change holds its bytes,
// not also its parsed object, which only an update needs (for the field changes in the commit message).
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HistoryWriter } from '../../lib/history/index.ts';
import type { KubeObject } from '../../lib/normalize/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { configmaps as configMaps } from '../watch/recorder.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const configMap = (i: number, round: number): KubeObject & { data: Record<string, string> } => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `cm-${i}`, namespace: 'shop', labels: { app: `app-${i}`, tier: 'web' } },
  data: Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`key-${k}`, `value-${i}-${k}-${round}`])),
});

test('pending created objects hold their bytes only, and an update still says which fields changed', async () => {
  const tmp = temporaryDirectory('kubesnap-writer-memory-');
  try {
    const repository = await SnapshotRepository.open(join(tmp.path, 'repo.git'));
    const writer = new HistoryWriter({
      repository,
      author: { name: 'test', email: 'test@example.com' },
      cluster: { server: 'https://127.0.0.1', context: 'test' },
      batchMs: 3_600_000,
      batchMax: 1_000_000,
    });
    await writer.start();
    writer.hold();
    const count = 5_000;
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < count; i++) writer.upsert(configMaps, configMap(i, 1));
    gc();
    const perObject = (process.memoryUsage().heapUsed - before) / count;
    // ~380 bytes (path, blob id, map entry); keeping each parsed object as well took ~1,500.
    assert.ok(perObject < 800, `${perObject.toFixed(0)} bytes of heap per pending created object`);

    writer.release();
    assert.ok(await writer.flush());
    writer.upsert(configMaps, { ...configMap(7, 1), data: { ...configMap(7, 1).data, 'key-3': 'changed' } });
    await writer.flush();
    const [latest] = await repository.log({ limit: 1 });
    assert.match(latest.message, /data\.key-3 value-7-3-1→changed/);
    await writer.stop();
    await repository.close();
  } finally {
    tmp.remove();
  }
});

test.run();
