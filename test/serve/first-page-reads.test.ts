// The first timeline page after serve starts reads only as far back as its page needs (as `git log -n` does), not
// every commit: counted as the commit objects the store's reader reads, on a repository opened anew (nothing cached).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { serializeObject } from '../../lib/layout/index.ts';
import { parseListen, servePages, startServer } from '../../lib/serve/index.ts';
import { PAGE_SIZE } from '../../lib/serve/timeline.ts';
import { ObjectReader } from '../../lib/store/object-reader.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { configMap, times } from '../diff/fixture-repository.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { commitLinks, gitLogOf, olderLink } from './timeline-links.ts';

const COMMITS = 400;
/** `shop` changes in every third commit, `other` in the rest; helm and kubectl-edit take turns. */
const SHOP_EVERY = 3;
const MANAGERS = ['helm', 'kubectl-edit'];

const tmp = temporaryDirectory('kubesnap-serve-first-page-');
const dir = join(tmp.path, 'repo');

async function writeHistory(): Promise<void> {
  const repository = await SnapshotRepository.open(dir, { create: true });
  for (let i = 0; i < COMMITS; i++) {
    const namespace = i % SHOP_EVERY === 0 ? 'shop' : 'other';
    const path = `${namespace}/configmaps/web.yaml`;
    const manager = MANAGERS[i % MANAGERS.length];
    await repository.commitChanges([{ path, content: serializeObject(configMap(namespace, 'web', { i: `${i}` })) }], {
      message: `watch: 0 created, 1 updated, 0 deleted\n\nupdated ${path.replace(/\.yaml$/, '')}  data.i  by ${manager}\n\nKubesnap-Changed-By: ${manager}\n`,
      author: { name: 'kubesnap', email: 'kubesnap@localhost', timestamp: times[0] + i * 60, timezoneOffset: 0 },
    });
  }
  await repository.close();
}

/** Commit objects read from the disk while `action` runs. */
async function commitsReadBy<T>(action: () => Promise<T>): Promise<{ result: T; commitsRead: number }> {
  let commitsRead = 0;
  const read = ObjectReader.prototype.read;
  ObjectReader.prototype.read = function (this: ObjectReader, id: string) {
    const object = read.call(this, id);
    if (object.type === 'commit') commitsRead++;
    return object;
  };
  try {
    return { result: await action(), commitsRead };
  } finally {
    ObjectReader.prototype.read = read;
  }
}

/** A server on the repository opened anew, as after a restart of serve. */
async function withRestartedServe(use: (url: string) => Promise<void>): Promise<void> {
  const repository = await SnapshotRepository.open(dir, { create: false });
  const server = await startServer({ listen: parseListen('127.0.0.1:0'), pages: servePages(repository) });
  try {
    await use(server.url);
  } finally {
    await server.close();
    await repository.close();
  }
}

const gitLog = (...args: string[]) => gitLogOf(dir, ...args);

test.before(writeHistory);
test.after(() => tmp.remove());

test('?ns=shop: the first page reads the commits down to its 51st match, and pages as git log -- shop', async () => {
  const theirs = gitLog('--', 'shop');
  await withRestartedServe(async (url) => {
    const first = await commitsReadBy(async () => (await fetch(`${url}?ns=shop`)).text());
    assert.equal(commitLinks(first.result), theirs.slice(0, PAGE_SIZE));
    // The 51st match is 151 commits back; a walk reads the parent of the last commit it yields.
    assert.ok(first.commitsRead <= (PAGE_SIZE + 1) * SHOP_EVERY + 2, `${first.commitsRead} commits read`);
    const older = olderLink(first.result);
    assert.is(older, `/?ns=shop&before=${theirs[PAGE_SIZE - 1]}`);
    const second = await commitsReadBy(async () => (await fetch(new URL(older!, url))).text());
    assert.equal(commitLinks(second.result), theirs.slice(PAGE_SIZE, 2 * PAGE_SIZE));
    assert.ok(second.commitsRead <= (PAGE_SIZE + 1) * SHOP_EVERY + 2, `${second.commitsRead} commits read`);
    assert.match(second.result, `<a class="newest" href="/?ns=shop">Newest commits</a>`);
  });
});

test('?manager=helm: a message filter walks further only while its page is short, and agrees with git log --grep', async () => {
  const theirs = gitLog('--grep=^Kubesnap-Changed-By: helm$');
  await withRestartedServe(async (url) => {
    const first = await commitsReadBy(async () => (await fetch(`${url}?manager=helm`)).text());
    assert.equal(commitLinks(first.result), theirs.slice(0, PAGE_SIZE));
    // Walks of 51, then 204 commits (the second reads only the commits the first did not).
    assert.ok(first.commitsRead <= (PAGE_SIZE + 1) * 4 + 2, `${first.commitsRead} commits read`);
    const second = await (await fetch(new URL(olderLink(first.result)!, url))).text();
    assert.equal(commitLinks(second), theirs.slice(PAGE_SIZE, 2 * PAGE_SIZE));
  });
});

test('?manager=helm&since=…: the walk ends once it went back past since', async () => {
  const since = times[0] + (COMMITS - 40) * 60;
  const theirs = gitLog('--grep=^Kubesnap-Changed-By: helm$', `--since=${since}`);
  assert.is(theirs.length, 20);
  await withRestartedServe(async (url) => {
    const first = await commitsReadBy(async () => (await fetch(`${url}?manager=helm&since=${since}`)).text());
    assert.equal(commitLinks(first.result), theirs);
    assert.not.match(first.result, 'Older commits');
    assert.ok(first.commitsRead <= PAGE_SIZE + 1 + 2, `${first.commitsRead} commits read`);
  });
});

test.run();
