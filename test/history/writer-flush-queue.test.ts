// While a commit is being written, changes past --batch-max queue one commit after it, not one each: a busy cluster
// staged thousands of events during a slow commit, and each left a chain of promises behind it (~600 bytes apiece,
// 30 MB in a 10,000-object bench) that only drained when the events stopped.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HistoryWriter } from '../../lib/history/index.ts';
import type { KubeObject } from '../../lib/normalize/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { configmaps as configMaps } from '../watch/recorder.ts';

const configMap = (i: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `cm-${i}`, namespace: 'shop' },
  data: { i: String(i) },
});

test('changes staged during a commit queue one more commit, and all of them are committed', async () => {
  const tmp = temporaryDirectory('kubesnap-writer-flush-queue-');
  try {
    const repository = await SnapshotRepository.open(join(tmp.path, 'repo.git'));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const commitChanges = repository.commitChanges.bind(repository);
    repository.commitChanges = async (files, options) => {
      await gate;
      return commitChanges(files, options);
    };
    const writer = new HistoryWriter({
      repository,
      author: { name: 'test', email: 'test@example.com' },
      cluster: { server: 'https://127.0.0.1', context: 'test' },
      batchMs: 3_600_000,
      batchMax: 10,
    });
    await writer.start();
    const internals = writer as unknown as { commitPending: () => Promise<string | undefined> };
    const commitPending = internals.commitPending.bind(writer);
    let attempts = 0;
    internals.commitPending = () => (attempts++, commitPending());

    for (let i = 0; i < 10; i++) writer.upsert(configMaps, configMap(i));
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 10; i < 510; i++) writer.upsert(configMaps, configMap(i));
    open();
    await writer.flush();

    // The first batch, the one queued behind it, and the flush just asked for.
    assert.ok(attempts <= 3, `${attempts} commits attempted`);
    const files = await repository.readFiles();
    assert.is([...files.keys()].filter((path) => path.startsWith('shop/configmaps/')).length, 510);
    await writer.stop();
    await repository.close();
  } finally {
    tmp.remove();
  }
});

test.run();
