// The simulator reads time from the Clock it is given: object timestamps, a watch's bookmarks and timeoutSeconds,
// the delay fault. So a test moves time instead of waiting for it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { ManualClock } from '../health/manual-clock.ts';
import { call, watch } from './http.ts';

const CM = '/api/v1/namespaces/shop/configmaps';
const clock = new ManualClock(Date.parse('2026-03-01T10:00:00Z'));
let sim: Simulator;

test.before(async () => {
  sim = await startSimulator({ clock, bookmarkIntervalMs: 60_000 });
  sim.seedYaml('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
});

test.after(async () => {
  await sim.stop();
});

/** Lets the server and the client take their turns (a request, a write reaching the client). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

test("an object's creationTimestamp is the clock's time", async () => {
  clock.advance(5 * 60_000);
  const created = await call(sim, 'POST', CM, {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'timed' } },
  });
  assert.is(created.json.metadata.creationTimestamp, '2026-03-01T10:05:00Z');
});

test('a watch sends a bookmark each time the clock passes the bookmark interval', async () => {
  const stream = await watch(sim, `${CM}?watch=1&allowWatchBookmarks=true&resourceVersion=${sim.resourceVersion}`);
  await settle();
  assert.is(stream.events.length, 0);
  clock.advance(60_000);
  clock.advance(60_000);
  const events = await stream.next(2);
  stream.close();
  assert.equal(
    events.map((e) => e.type),
    ['BOOKMARK', 'BOOKMARK'],
  );
});

test('timeoutSeconds ends the stream once the clock has passed it, not before', async () => {
  const stream = await watch(sim, `${CM}?watch=1&resourceVersion=${sim.resourceVersion}&timeoutSeconds=30`);
  let ended = false;
  void stream.ended.then(() => (ended = true));
  clock.advance(29_000);
  await settle();
  assert.not.ok(ended, 'ended before its timeout');
  clock.advance(1_000);
  assert.is(await stream.ended, 'end');
});

test('the delay fault holds each response until the clock has moved that long', async () => {
  sim.faults.delay(300);
  let answered = false;
  const response = call(sim, 'GET', '/version').then((r) => ((answered = true), r));
  await settle();
  assert.not.ok(answered, 'answered before the delay');
  clock.advance(300);
  assert.is((await response).status, 200);
  sim.faults.delay(0);
});

test.run();
