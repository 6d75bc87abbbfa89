import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ObjectReader } from '../../lib/store/object-reader.ts';
import { changedPaths, SnapshotRepository } from '../../lib/store/index.ts';
import { temporaryDir } from './real-git.ts';

// serve's commit and compare pages diff two commits at each request: at 100,000 objects, loading the pack indexes
// again took longer than the diff.
test('changedPaths reads through the repository: its pack indexes are not loaded again at each call', async () => {
  const repo = await SnapshotRepository.open(join(temporaryDir('tree-diff-reader'), 'repo.git'));
  const author = { name: 'kubesnap', email: 'kubesnap@example.com', timestamp: 1_800_000_000 };
  // Enough files for a pack, then a small change.
  const files = Array.from({ length: 300 }, (_, i) => ({ path: `shop/configmaps/cm-${i}.yaml`, content: `n: ${i}\n` }));
  const first = await repo.commitChanges(files, { message: 'first', author });
  const second = await repo.commitChanges([{ path: 'shop/configmaps/cm-7.yaml', content: 'n: 8\n' }], {
    message: 'second',
    author,
  });
  await changedPaths(repo, first!.commit, second!.commit);
  let scans = 0;
  const rescanPacks = ObjectReader.prototype.rescanPacks;
  ObjectReader.prototype.rescanPacks = function (this: ObjectReader) {
    scans++;
    rescanPacks.call(this);
  };
  try {
    for (let call = 0; call < 3; call++)
      assert.equal(
        (await changedPaths(repo, first!.commit, second!.commit)).map((change) => change.path),
        ['shop/configmaps/cm-7.yaml'],
      );
    assert.is(scans, 0);
  } finally {
    ObjectReader.prototype.rescanPacks = rescanPacks;
  }
  await repo.close();
});

test.run();
