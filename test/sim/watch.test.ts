// Watch streams: shapes as recorded, replay from a resourceVersion, 410 for expired history, bookmarks,
// initial events, selectors (leaving the selector is DELETED) and timeouts.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { call, watch } from './http.ts';

const FIXTURES = new URL('../fixtures/apiserver/watch/', import.meta.url);
const recorded = (file: string): any[] =>
  readFileSync(new URL(file, FIXTURES), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

let sim: Simulator;
const CM = '/api/v1/namespaces/shop/configmaps';

const configMap = (name: string, data: Record<string, string>, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

test.before(async () => {
  sim = await startSimulator({ bookmarkIntervalMs: 200, historySize: 50 });
  sim.seedYaml('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
});

test.after(async () => {
  await sim.stop();
});

test('a watch from a resourceVersion sees create, patch, label and delete as the recorded stream does', async () => {
  const list = await call(sim, 'GET', CM);
  const stream = await watch(sim, `${CM}?watch=1&resourceVersion=${list.json.metadata.resourceVersion}`);
  await call(sim, 'POST', CM, { body: configMap('watched', { a: '1' }) });
  await call(sim, 'PATCH', `${CM}/watched`, {
    body: { data: { a: '2' } },
    contentType: 'application/merge-patch+json',
  });
  await call(sim, 'PATCH', `${CM}/watched`, {
    body: { metadata: { labels: { stage: 'two' } } },
    contentType: 'application/merge-patch+json',
  });
  await call(sim, 'DELETE', `${CM}/watched`);
  const events = await stream.next(4);
  stream.close();
  const expected = recorded('configmaps_shop.jsonl').filter((e) => e.object.metadata.name === 'watched');
  assert.equal(
    events.map((e) => e.type),
    expected.map((e) => e.type),
  );
  for (const [i, event] of events.entries()) {
    assert.equal(Object.keys(event), Object.keys(expected[i]));
    assert.is(event.object.kind, 'ConfigMap');
    assert.is(event.object.apiVersion, 'v1');
    assert.equal(
      Object.keys(event.object.metadata).filter((k) => k !== 'labels'),
      Object.keys(expected[i].object.metadata).filter((k: string) => k !== 'labels'),
    );
  }
  const versions = events.map((e) => Number(e.object.metadata.resourceVersion));
  assert.equal(
    [...versions].sort((a, b) => a - b),
    versions,
    'events come in commit order',
  );
  assert.is(events[3].object.metadata.labels.stage, 'two');
});

test('a watch without a resourceVersion starts with the current state as ADDED', async () => {
  await call(sim, 'POST', CM, { body: configMap('present', { x: '1' }) });
  const stream = await watch(sim, `${CM}?watch=true`);
  const events = await stream.next(2);
  stream.close();
  assert.equal(events.map((e) => [e.type, e.object.metadata.name]).sort(), [
    ['ADDED', 'kube-root-ca.crt'],
    ['ADDED', 'present'],
  ]);
});

test('replay from an old resourceVersion returns the history in order, then live events', async () => {
  const start = sim.resourceVersion;
  await call(sim, 'POST', CM, { body: configMap('r1', { a: '1' }) });
  await call(sim, 'POST', CM, { body: configMap('r2', { a: '1' }) });
  const stream = await watch(sim, `${CM}?watch=1&resourceVersion=${start}`);
  await call(sim, 'DELETE', `${CM}/r1`);
  const events = await stream.next(3);
  stream.close();
  assert.equal(
    events.map((e) => [e.type, e.object.metadata.name]),
    [
      ['ADDED', 'r1'],
      ['ADDED', 'r2'],
      ['DELETED', 'r1'],
    ],
  );
});

test('sendInitialEvents ends the initial state with the k8s.io/initial-events-end bookmark', async () => {
  const stream = await watch(
    sim,
    `${CM}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
  );
  const count = sim.list('', 'configmaps', 'shop').length;
  const events = await stream.next(count + 1);
  stream.close();
  const bookmark = events[count];
  const expected = recorded('configmaps_shop_initial_events.jsonl').find((e) => e.type === 'BOOKMARK');
  assert.is(bookmark.type, 'BOOKMARK');
  assert.equal(Object.keys(bookmark.object.metadata), Object.keys(expected.object.metadata));
  assert.equal(bookmark.object.metadata.annotations, expected.object.metadata.annotations);
  assert.is(bookmark.object.metadata.resourceVersion, String(sim.resourceVersion));
  assert.ok(events.slice(0, count).every((e) => e.type === 'ADDED'));
});

test('allowWatchBookmarks brings periodic BOOKMARK events at the configured interval', async () => {
  const stream = await watch(sim, `${CM}?watch=1&resourceVersion=${sim.resourceVersion}&allowWatchBookmarks=true`);
  const events = await stream.next(2, 3000);
  stream.close();
  assert.equal(
    events.map((e) => e.type),
    ['BOOKMARK', 'BOOKMARK'],
  );
  assert.equal(events[0].object, {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: { resourceVersion: String(sim.resourceVersion), creationTimestamp: null },
  });
});

test('label selectors: an object leaving the selector is DELETED, entering it ADDED', async () => {
  const stream = await watch(
    sim,
    `${CM}?watch=1&resourceVersion=${sim.resourceVersion}&labelSelector=${encodeURIComponent('tier=web')}`,
  );
  await call(sim, 'POST', CM, { body: configMap('sel', { a: '1' }, { tier: 'web' }) });
  await call(sim, 'POST', CM, { body: configMap('other', { a: '1' }, { tier: 'db' }) });
  await call(sim, 'PATCH', `${CM}/sel`, {
    body: { metadata: { labels: { tier: 'db' } } },
    contentType: 'application/merge-patch+json',
  });
  await call(sim, 'PATCH', `${CM}/other`, {
    body: { metadata: { labels: { tier: 'web' } } },
    contentType: 'application/merge-patch+json',
  });
  const events = await stream.next(3);
  stream.close();
  assert.equal(
    events.map((e) => [e.type, e.object.metadata.name]),
    [
      ['ADDED', 'sel'],
      ['DELETED', 'sel'],
      ['ADDED', 'other'],
    ],
  );
});

test('field selectors filter a cluster-wide watch by namespace and name', async () => {
  const stream = await watch(
    sim,
    `/api/v1/configmaps?watch=1&resourceVersion=${sim.resourceVersion}&fieldSelector=${encodeURIComponent('metadata.namespace=shop,metadata.name=pick')}`,
  );
  await call(sim, 'POST', CM, { body: configMap('skip', {}) });
  await call(sim, 'POST', CM, { body: configMap('pick', {}) });
  const events = await stream.next(1);
  await new Promise((r) => setTimeout(r, 100));
  stream.close();
  assert.equal(
    stream.events.map((e) => e.object.metadata.name),
    ['pick'],
  );
  assert.is(events[0].type, 'ADDED');
});

test('a watch from a resourceVersion older than the kept history gets an ERROR event with a 410 Expired Status', async () => {
  for (let i = 0; i < 60; i++) await call(sim, 'PUT', `${CM}/pick`, { body: configMap('pick', { i: String(i) }) });
  const stream = await watch(sim, `${CM}?watch=1&resourceVersion=1`);
  assert.is(await stream.ended, 'end');
  const [expected] = recorded('too_old_resource_version.jsonl');
  assert.is(stream.events.length, 1);
  assert.is(stream.events[0].type, 'ERROR');
  assert.equal(Object.keys(stream.events[0].object), Object.keys(expected.object));
  assert.is(stream.events[0].object.code, 410);
  assert.is(stream.events[0].object.reason, 'Expired');
  assert.match(stream.events[0].object.message, /^too old resource version: 1 \(\d+\)$/);
});

test.run();
