import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { countObjects, fsck, git, temporaryDir } from './real-git.ts';

const root = temporaryDir('large');
const dir = join(root, 'large.git');
const author = { name: 'kubesnap', email: 'kubesnap@example.com', timestamp: 1_800_000_000 };
const kinds = ['configmaps', 'secrets', 'services', 'deployments.apps', 'roles.rbac.authorization.k8s.io'];
const pathOf = (i: number) => `ns-${i % 40}/${kinds[Math.floor(i / 40) % kinds.length]}/object-${i}.yaml`;
const contentOf = (i: number, revision: number) =>
  `apiVersion: v1\nkind: Thing\nmetadata:\n  name: object-${i}\n${`  revision: ${revision}\n`.repeat(20)}`;

test('20,000 files in one commit go into one pack that git accepts', async () => {
  const repo = await SnapshotRepository.open(dir);
  const changes = Array.from({ length: 20_000 }, (_, i) => ({ path: pathOf(i), content: contentOf(i, 0) }));
  const result = await repo.commitChanges(changes, { message: 'big', author });
  assert.is(result?.changed, 20_000);
  const counts = countObjects(dir);
  assert.is(counts.loose, 0);
  assert.is(counts.packs, 1);
  // 20,000 blobs, 40 namespace trees of 5 kind trees each, the root tree, the commit.
  assert.is(counts.packed, 20_000 + 40 * 5 + 40 + 1 + 1);
  git(dir, [
    'verify-pack',
    join(dir, 'objects', 'pack', readdirSync(join(dir, 'objects', 'pack')).find((name) => name.endsWith('.idx'))!),
  ]);
  fsck(dir);
  assert.is(git(dir, ['ls-tree', '-r', 'HEAD']).trim().split('\n').length, 20_000);
  assert.is(git(dir, ['show', `HEAD:${pathOf(12_345)}`]), contentOf(12_345, 0));
});

test('an incremental commit writes only the new blobs and the trees above them, in this process and a fresh one', async () => {
  const repo = await SnapshotRepository.open(dir);
  const before = countObjects(dir);
  // 10 files in 2 folders (ns-0/configmaps and ns-1/secrets): 10 blobs, 2 + 2 trees, the root, the commit.
  const changed = [0, 200, 400, 600, 800, 41, 241, 441, 641, 841];
  const paths = new Set(changed.map(pathOf));
  assert.is(new Set([...paths].map((path) => path.split('/').slice(0, 2).join('/'))).size, 2);
  const result = await repo.commitChanges(
    changed.map((i) => ({ path: pathOf(i), content: contentOf(i, 1) })),
    { message: 'ten', author },
  );
  assert.is(result?.changed, 10);
  const after = countObjects(dir);
  assert.is(after.packed, before.packed);
  assert.is(after.loose - before.loose, 10 + 4 + 1 + 1);
  assert.is(
    git(dir, ['diff', '--name-only', 'HEAD~1', 'HEAD']).trim().split('\n').sort().join(','),
    [...paths].sort().join(','),
  );

  const fresh = await SnapshotRepository.open(dir);
  await fresh.commitChanges(
    [
      { path: pathOf(7), content: null },
      { path: 'ns-new/configmaps/x.yaml', content: 'x\n' },
    ],
    { message: 'fresh', author },
  );
  const last = countObjects(dir);
  // 1 blob; ns-7/<kind>, ns-7, ns-new/configmaps, ns-new, the root; the commit.
  assert.is(last.loose - after.loose, 1 + 5 + 1);
  fsck(dir);
  assert.is((await fresh.readFiles()).size, 20_000);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
