// The `?kind=` filter finds the kind's folders from the namespace folders at HEAD (the root's tree), not by listing
// every file of HEAD: on a repository opened anew, its first page reads none of the other kinds' folders, and it pages
// as `git log -- <every namespace>/<kind>`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { parseListen, servePages, startServer } from '../../lib/serve/index.ts';
import { ObjectReader } from '../../lib/store/object-reader.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { times } from '../diff/fixture-repository.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { commitLinks, olderLink } from './timeline-links.ts';
import { git } from '../store/real-git.ts';

const NAMESPACES = Array.from({ length: 20 }, (_, i) => `ns-${String(i).padStart(2, '0')}`);
const KINDS = ['configmaps', 'secrets', 'services', 'serviceaccounts', 'deployments.apps'];
/** Commits after the first; every third changes a Secret, the others a ConfigMap, each in the next namespace. */
const CHANGES = 90;

const tmp = temporaryDirectory('kubesnap-serve-kind-filter-');
const dir = join(tmp.path, 'repo');

async function writeHistory(): Promise<void> {
  const repository = await SnapshotRepository.open(dir, { create: true });
  const commit = async (paths: string[], i: number) => {
    const lines = paths.map((path) => `updated ${path.replace(/\.yaml$/, '')}`).join('\n');
    await repository.commitChanges(
      paths.map((path) => ({ path, content: `change: ${i}\n` })),
      {
        message: `watch: ${paths.length} updated\n\n${lines}\n`,
        author: { name: 'kubesnap', email: 'kubesnap@localhost', timestamp: times[0] + i * 60, timezoneOffset: 0 },
      },
    );
  };
  await commit(
    NAMESPACES.flatMap((namespace) => KINDS.map((kind) => `${namespace}/${kind}/web.yaml`)),
    0,
  );
  for (let i = 1; i <= CHANGES; i++)
    await commit([`${NAMESPACES[i % NAMESPACES.length]}/${i % 3 === 0 ? 'secrets' : 'configmaps'}/web.yaml`], i);
  await repository.close();
}

/** Ids of the tree objects read from the disk while `action` runs. */
async function treesReadBy<T>(action: () => Promise<T>): Promise<{ result: T; treesRead: Set<string> }> {
  const treesRead = new Set<string>();
  const read = ObjectReader.prototype.read;
  ObjectReader.prototype.read = function (this: ObjectReader, id: string) {
    const object = read.call(this, id);
    if (object.type === 'tree') treesRead.add(id);
    return object;
  };
  try {
    return { result: await action(), treesRead };
  } finally {
    ObjectReader.prototype.read = read;
  }
}

test.before(writeHistory);
test.after(() => tmp.remove());

test('?kind=configmaps after a start: no other kind folder is read, and the pages are git log -- */configmaps', async () => {
  const theirs = git(dir, ['log', '--format=%H', 'main', '--', ...NAMESPACES.map((ns) => `${ns}/configmaps`)])
    .split('\n')
    .filter(Boolean);
  // The other kinds' folders at HEAD, which listing every file of HEAD reads.
  const otherKindFolders = git(dir, ['ls-tree', '-d', '-r', 'main'])
    .split('\n')
    .filter((line) => /\t[^/]+\/(?!configmaps$)[^/]+$/.test(line))
    .map((line) => line.split(/\s+/)[2]);
  assert.is(otherKindFolders.length, NAMESPACES.length * (KINDS.length - 1));

  const repository = await SnapshotRepository.open(dir, { create: false });
  const server = await startServer({ listen: parseListen('127.0.0.1:0'), pages: servePages(repository) });
  try {
    const first = await treesReadBy(async () => (await fetch(`${server.url}?kind=configmaps`)).text());
    const readOthers = otherKindFolders.filter((id) => first.treesRead.has(id));
    assert.equal(readOthers, [], `${readOthers.length} of the other kinds' folders read`);
    const pages = [commitLinks(first.result)];
    for (let link = olderLink(first.result); link !== undefined; ) {
      const html = await (await fetch(new URL(link, server.url))).text();
      pages.push(commitLinks(html));
      link = olderLink(html);
    }
    assert.is(pages.length, 2);
    assert.equal(pages.flat(), theirs);
  } finally {
    await server.close();
    await repository.close();
  }
});

test.run();
