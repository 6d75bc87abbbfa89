// LeaderElector against lib/sim: the Lease record it writes, take-over after expiry, loss when another holder appears, release.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getObject, jsonPatchObject, KubeClient } from '../../lib/kube/index.ts';
import { LeaderElector, leaseResource, type Lease } from '../../lib/leader/index.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { clientFor, eventually } from '../helpers/cluster.ts';
import { ManualClock } from '../health/manual-clock.ts';

let sim: Simulator;
let client: Awaited<ReturnType<typeof clientFor>>;
const namespace = 'default';

const lease = (name: string) => getObject<Lease>(client, leaseResource, namespace, name);

test.before(async () => {
  sim = await startSimulator();
  client = await clientFor(sim);
});

test.after(async () => {
  client.close();
  await sim.stop();
});

/** Moves the clock in steps of `stepMs` for `totalMs`, each step once `waiting` timers wait on it (every loop is asleep). */
async function runClock(
  clock: ManualClock,
  waiting: number,
  totalMs: number,
  stepMs = 250,
  until: () => boolean = () => false,
): Promise<number> {
  let moved = 0;
  while (moved < totalMs && !until()) {
    await eventually(() => clock.pending >= waiting || until(), 10_000, `${waiting} electors asleep`);
    if (until()) break;
    clock.advance(stepMs);
    moved += stepMs;
  }
  return moved;
}

test('the first candidate creates the Lease; a second waits, and takes over when it is no longer renewed', async () => {
  const clock = new ManualClock();
  const first = new LeaderElector({
    client,
    namespace,
    name: 'takeover',
    identity: 'first',
    leaseDurationMs: 1500,
    clock,
  });
  const second = new LeaderElector({
    client,
    namespace,
    name: 'takeover',
    identity: 'second',
    leaseDurationMs: 1500,
    clock,
  });
  first.start();
  await first.acquired;
  second.start();
  const created = await lease('takeover');
  assert.is(created.spec?.holderIdentity, 'first');
  assert.is(created.spec?.leaseDurationSeconds, 2);
  assert.is(created.spec?.leaseTransitions, 0);
  assert.match(created.spec!.renewTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  await runClock(clock, 2, 2500);
  assert.not.ok(second.isLeader, 'a renewed Lease is not taken');
  const renewed = await lease('takeover');
  assert.is.not(renewed.spec?.renewTime, created.spec?.renewTime);
  assert.is(renewed.spec?.acquireTime, created.spec?.acquireTime);

  // The first stops renewing without releasing (a crash): the second takes over after the duration.
  (first as any).stopController.abort();
  const tookOverAfter = await runClock(clock, 1, 10_000, 250, () => second.isLeader);
  await second.acquired;
  assert.ok(tookOverAfter < 1500 + 1500, `took over after ${tookOverAfter} ms`);
  const taken = await lease('takeover');
  assert.is(taken.spec?.holderIdentity, 'second');
  assert.is(taken.spec?.leaseTransitions, 1);
  await second.stop();
  const released = await lease('takeover');
  assert.not.ok(released.spec?.holderIdentity, 'stop() clears the holder');
  assert.is(released.spec?.leaseTransitions, 1);
});

test('a holder that finds someone else in the Lease has lost it', async () => {
  const elector = new LeaderElector({ client, namespace, name: 'stolen', identity: 'holder', leaseDurationMs: 1500 });
  elector.start();
  await elector.acquired;
  const current = await lease('stolen');
  await jsonPatchObject(client, leaseResource, namespace, 'stolen', [
    { op: 'replace', path: '/spec/holderIdentity', value: 'intruder' },
  ]);
  await eventually(() => !elector.isLeader, 3000, 'leadership lost');
  await elector.lost;
  await elector.stop();
  const after = await lease('stolen');
  assert.is(after.spec?.holderIdentity, 'intruder', 'a lost Lease is not released by its former holder');
  assert.ok(current.spec?.holderIdentity === 'holder');
});

test('a released Lease is taken at once, and an aborted signal stops the elector', async () => {
  const controller = new AbortController();
  const first = new LeaderElector({ client, namespace, name: 'handover', identity: 'a', leaseDurationMs: 3000 });
  const second = new LeaderElector({
    client,
    namespace,
    name: 'handover',
    identity: 'b',
    leaseDurationMs: 3000,
    signal: controller.signal,
  });
  first.start();
  await first.acquired;
  second.start();
  await new Promise((r) => setTimeout(r, 300));
  const releasedAt = Date.now();
  await first.stop();
  await second.acquired;
  assert.ok(
    Date.now() - releasedAt < 1000 * 1.2 + 500,
    `took over in ${Date.now() - releasedAt} ms, before the 3 s duration`,
  );
  assert.is((await lease('handover')).spec?.leaseTransitions, 1);
  controller.abort();
  await eventually(async () => !(await lease('handover')).spec?.holderIdentity, 3000, 'release on abort');
});

/** Resolves true if `elector` loses its lease within `ms`. */
async function losesWithin(elector: LeaderElector, ms: number): Promise<boolean> {
  return Promise.race([elector.lost.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}

test('a renewal the server refuses once (a 500) is retried before the deadline: the lease is kept', async () => {
  const elector = new LeaderElector({
    client,
    namespace,
    name: 'refused-once',
    identity: 'holder',
    leaseDurationMs: 3000,
  });
  elector.start();
  await elector.acquired;
  try {
    sim.faults.failNext(2);
    assert.not.ok(await losesWithin(elector, 4000), 'one failed renewal lost the lease');
    assert.ok(elector.isLeader);
    assert.is((await lease('refused-once')).spec?.holderIdentity, 'holder');
  } finally {
    sim.faults.clear();
    await elector.stop();
  }
});

test('a slow server (each answer taking a fifth of the duration) does not cost the lease: a round may take until the deadline', async () => {
  // A round (GET and PATCH) takes 2.4 s: more than the old fixed round timeout (a third, 2 s), well within the deadline (4 s).
  const elector = new LeaderElector({ client, namespace, name: 'slow', identity: 'holder', leaseDurationMs: 6000 });
  elector.start();
  await elector.acquired;
  const before = (await lease('slow')).spec?.renewTime;
  try {
    sim.faults.delay(1200);
    assert.not.ok(await losesWithin(elector, 9000), 'slow renewals lost the lease');
  } finally {
    sim.faults.clear();
  }
  assert.is.not((await lease('slow')).spec?.renewTime, before, 'it renewed meanwhile');
  await elector.stop();
});

test("renewals never wait behind the caller's requests: a client whose only socket a watch holds still elects and renews", async () => {
  const busy = new KubeClient(client.connection, { maxSockets: 1 });
  const holdSocket = new AbortController();
  const watch = busy
    .stream('/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=60', { signal: holdSocket.signal })
    .catch(() => undefined);
  const elector = new LeaderElector({
    client: busy,
    namespace,
    name: 'beside-a-watch',
    identity: 'holder',
    leaseDurationMs: 3000,
  });
  try {
    elector.start();
    const acquired = await Promise.race([
      elector.acquired.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 3000)),
    ]);
    assert.ok(acquired, "the Lease was taken while the caller's pool was full");
    assert.not.ok(await losesWithin(elector, 2500), 'and renewed');
  } finally {
    await elector.stop();
    holdSocket.abort();
    (await watch)?.destroy();
    busy.close();
  }
});

test.run();
