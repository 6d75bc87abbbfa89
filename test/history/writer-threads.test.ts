// A big batch's blobs are deflated on a pack-entry thread; when that thread fails, the commit deflates them itself.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HistoryWriter } from '../../lib/history/index.ts';
import type { KubeObject } from '../../lib/normalize/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { fsck } from '../store/real-git.ts';
import { configmaps as configMaps } from '../watch/recorder.ts';

const configMap = (i: number, round: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `cm-${i}`, namespace: 'shop' },
  data: { round: String(round) },
});

for (const [name, failing] of [
  ['a big batch is deflated on a pack-entry thread', false],
  ['a big batch whose pack-entry thread fails is still committed whole', true],
] as const) {
  test(name, async () => {
    const tmp = temporaryDirectory('kubesnap-writer-threads-');
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
      if (failing)
        (writer as unknown as { committer: { deflater: { threads: unknown } } }).committer.deflater.threads = {
          blobEntries: () => Promise.reject(new Error('the pack worker thread stopped (exit code 1)')),
          close: async () => {},
        };
      for (let i = 0; i < 250; i++) writer.upsert(configMaps, configMap(i, 1));
      assert.ok(await writer.flush());
      const files = await repository.readFiles();
      assert.is([...files.keys()].filter((path) => path.startsWith('shop/configmaps/')).length, 250);
      assert.match((await repository.readBlob(files.get('shop/configmaps/cm-249.yaml')!)).toString(), /round: '1'/);
      await writer.stop();
      await repository.close();
      fsck(join(tmp.path, 'repo.git'));
    } finally {
      tmp.remove();
    }
  });
}

test.run();
