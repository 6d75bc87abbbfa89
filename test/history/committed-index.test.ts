// CommittedIndex on its own: a batch counts as committed while it is written and is taken back when the write
// fails; the README is rewritten only when what it says (here: its folders) changed, and its blob id is then known.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CommittedIndex } from '../../lib/history/committed-index.ts';
import type { FolderContent } from '../../lib/history/repository-readme.ts';
import { hashObject } from '../../lib/store/index.ts';

const kindsReadme = (folders: Iterable<FolderContent>) =>
  [...folders]
    .filter((folder) => folder.objects > 0)
    .map((folder) => `${folder.namespace}/${folder.kind}: ${folder.objects}`)
    .join('\n');

test('a batch being written counts as committed; restore() puts the ids before it back', () => {
  const index = new CommittedIndex({ readme: kindsReadme });
  index.committing(new Map([['shop/configmaps/a.yaml', { id: 'a1' }]]));
  const previous = index.committing(
    new Map([
      ['shop/configmaps/a.yaml', { id: undefined }],
      ['shop/configmaps/b.yaml', { id: 'b1' }],
    ]),
  );
  assert.equal([...index.files], [['shop/configmaps/b.yaml', 'b1']]);
  index.restore(previous);
  assert.equal([...index.files], [['shop/configmaps/a.yaml', 'a1']]);
});

test('the README changes with the folders, its blob id is known once written, and tracked objects are counted', () => {
  const index = new CommittedIndex({ prefix: 'prod', readme: kindsReadme });
  const created = index.readmeAfter([{ path: 'prod/shop/configmaps/a.yaml', type: 'created' }]);
  assert.equal([created.before, created.text, created.changed], [undefined, 'shop/configmaps: 1', true]);
  assert.is(index.trackedCount, 0, 'nothing written yet');
  index.written(created);
  assert.is(index.trackedCount, 1);
  assert.is(index.files.get('prod/README.md'), hashObject('blob', Buffer.from('shop/configmaps: 1')));
  const updated = index.readmeAfter([{ path: 'prod/shop/configmaps/a.yaml', type: 'updated' }]);
  assert.equal([updated.before, updated.changed], ['shop/configmaps: 1', false]);
});

test.run();
