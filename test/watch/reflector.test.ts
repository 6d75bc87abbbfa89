import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sleep } from '../../lib/concurrency/index.ts';
import { systemClock } from '../../lib/health/index.ts';
import type { KubeClient } from '../../lib/kube/index.ts';
import { createLogger } from '../../lib/log/index.ts';
import type { KubeObject } from '../../lib/normalize/index.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { Reflector, RelistTurns, type ReflectorOptions } from '../../lib/watch/index.ts';
import { configmaps, connect, ConsumerGate, MetricsRecorder, objectNames, StateRecorder } from './recorder.ts';

const reflectors = suite<{ sim: Simulator; client: KubeClient }>('reflector');

reflectors.before(async (context) => {
  context.sim = await startSimulator({ bookmarkIntervalMs: 100 });
  context.client = await connect(context.sim);
});

reflectors.after(async (context) => {
  context.client?.close();
  await context.sim?.stop();
});

async function createNamespace(client: KubeClient, name: string): Promise<void> {
  await client.json('POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
  });
}

/** Creates, updates or deletes a ConfigMap; returns the resourceVersion of the change. */
async function write(
  sim: Simulator,
  client: KubeClient,
  namespace: string,
  verb: 'create' | 'update' | 'delete',
  name: string,
  data: Record<string, string> = {},
): Promise<string> {
  const base = `/api/v1/namespaces/${namespace}/configmaps`;
  const result: KubeObject =
    verb === 'create'
      ? await client.json('POST', base, { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data } })
      : verb === 'update'
        ? await client.json('PATCH', `${base}/${name}`, { body: { data }, contentType: 'application/merge-patch+json' })
        : await client.json('DELETE', `${base}/${name}`);
  // A delete answers with a Status; the deletion's version is the server's latest.
  return verb === 'delete' ? String(sim.resourceVersion) : String(result.metadata.resourceVersion);
}

interface Running {
  recorder: StateRecorder;
  metrics: MetricsRecorder;
  sleeps: number[];
  stop(): Promise<void>;
}

async function startReflector(
  client: KubeClient,
  namespace: string,
  options: Partial<ReflectorOptions> = {},
  gate?: () => Promise<void>,
): Promise<Running> {
  const recorder = new StateRecorder();
  const metrics = new MetricsRecorder();
  const sleeps: number[] = [];
  const controller = new AbortController();
  const reflector = new Reflector({
    client,
    resource: configmaps,
    namespace,
    backoff: { baseMs: 20, maxMs: 500 },
    metrics,
    clock: {
      ...systemClock,
      sleep: (ms, signal) => {
        sleeps.push(ms);
        return systemClock.sleep(ms, signal);
      },
    },
    onEvent: async (event) => {
      recorder.onEvent(
        event.type === 'synced' ? { ...event, resource: configmaps, namespace } : { ...event, resource: configmaps },
      );
      await gate?.();
    },
    signal: controller.signal,
    logger: process.env.WATCH_DEBUG ? createLogger({ verbosity: 1 }) : undefined,
    ...options,
  });
  const run = reflector.run();
  await recorder.waitFor(() => recorder.eventsOf('synced').length > 0, 'the first list');
  // The first bookmark proves the watch is open, so a fault injected now hits the watch.
  await recorder.waitFor(() => metrics.count('event BOOKMARK', 'configmaps') > 0, 'the first bookmark');
  return {
    recorder,
    metrics,
    sleeps,
    async stop() {
      controller.abort();
      await run;
    },
  };
}

function assertMatchesServer(sim: Simulator, recorder: StateRecorder, namespace: string): void {
  const live = sim.list('', 'configmaps', namespace);
  assert.equal(recorder.names('configmaps', namespace), objectNames(live));
  const versions = (objects: Array<{ metadata: { name?: string; resourceVersion?: unknown } }>) =>
    objects.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
  assert.equal(versions([...(recorder.state.get('configmaps')?.values() ?? [])]), versions(live));
}

const inSync = (sim: Simulator, recorder: StateRecorder, namespace: string) => () => {
  const live = sim
    .list('', 'configmaps', namespace)
    .map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)
    .sort();
  const seen = [...(recorder.state.get('configmaps')?.values() ?? [])]
    .map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)
    .sort();
  return JSON.stringify(live) === JSON.stringify(seen);
};

/** The watch's upserts and deletes (not a list's objects) as `name@resourceVersion`, in arrival order. */
function changes(recorder: StateRecorder): string[] {
  return recorder.events.flatMap((e) =>
    (e.type === 'upsert' && !e.listed) || e.type === 'delete'
      ? [`${e.type} ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`]
      : [],
  );
}

reflectors('lists first (upserts, then synced), then ADDED/MODIFIED/DELETED in order', async ({ sim, client }) => {
  await createNamespace(client, 'order');
  await write(sim, client, 'order', 'create', 'before', { a: '1' });
  const running = await startReflector(client, 'order');
  try {
    const [before, rootCa, synced] = running.recorder.events;
    const listed = [before, rootCa].flatMap((e) => (e.type === 'upsert' && e.listed ? [e.object] : []));
    assert.equal(objectNames(listed), ['order/before', 'order/kube-root-ca.crt']);
    assert.ok(listed.every((o) => o.kind === 'ConfigMap' && o.apiVersion === 'v1'));
    assert.equal(synced.type === 'synced' && synced.keys.sort(), ['order/before', 'order/kube-root-ca.crt']);
    const expected = [
      `upsert web@${await write(sim, client, 'order', 'create', 'web', { a: '1' })}`,
      `upsert web@${await write(sim, client, 'order', 'update', 'web', { a: '2' })}`,
      `upsert web@${await write(sim, client, 'order', 'update', 'web', { a: '3' })}`,
      `delete web@${await write(sim, client, 'order', 'delete', 'web')}`,
      `delete before@${await write(sim, client, 'order', 'delete', 'before')}`,
    ];
    await running.recorder.waitFor(() => changes(running.recorder).length >= expected.length, 'five changes');
    assert.equal(changes(running.recorder), expected);
    const modified = running.recorder.events[4];
    assert.is(modified.type === 'upsert' && (modified.object.data as Record<string, string>).a, '2');
    assertMatchesServer(sim, running.recorder, 'order');
    assert.is(running.metrics.count('relist', 'configmaps'), 0);
  } finally {
    await running.stop();
  }
});

reflectors(
  'connections dropped mid-stream: resumed from the last version, nothing lost or duplicated',
  async ({ sim, client }) => {
    await createNamespace(client, 'drops');
    const running = await startReflector(client, 'drops');
    try {
      const written: string[] = [];
      let drops = 0;
      let bookmarksAt = 0;
      for (let i = 0; i < 30; i++) {
        const name = `cm-${i % 7}`;
        const exists = sim.get('', 'configmaps', 'drops', name) !== undefined;
        const verb = !exists ? 'create' : i % 5 === 0 ? 'delete' : 'update';
        written.push(
          `${verb === 'delete' ? 'delete' : 'upsert'} ${name}@${await write(sim, client, 'drops', verb, name, { i: String(i) })}`,
        );
        if (i % 6 === 3) {
          // Each drop hits an open watch: the previous one has been noticed (the writes since happened while it was down).
          await running.recorder.waitFor(
            () => running.metrics.count('error', 'configmaps') === drops,
            'the previous drop noticed',
          );
          await running.recorder.waitFor(
            () => running.metrics.count('event BOOKMARK', 'configmaps') > bookmarksAt,
            'the watch open again',
          );
          sim.faults.dropWatches();
          drops++;
          bookmarksAt = running.metrics.count('event BOOKMARK', 'configmaps');
        }
      }
      await running.recorder.waitFor(() => changes(running.recorder).length >= written.length, 'every change');
      await sleep(200);
      assert.equal(changes(running.recorder), written, 'every change once, in order');
      assert.is(running.recorder.eventsOf('synced').length, 1, 'no relist');
      assert.is(running.metrics.count('relist', 'configmaps'), 0);
      assert.is(running.metrics.count('error', 'configmaps'), 5, 'every drop was seen');
      assertMatchesServer(sim, running.recorder, 'drops');
    } finally {
      await running.stop();
    }
  },
);

reflectors(
  'history compacted while disconnected: 410 Expired → relist → synced, deletions reconciled',
  async ({ sim, client }) => {
    await createNamespace(client, 'expired');
    await write(sim, client, 'expired', 'create', 'doomed');
    const gate = new ConsumerGate();
    const running = await startReflector(client, 'expired', {}, gate.pass);
    try {
      gate.hold();
      await write(sim, client, 'expired', 'create', 'a'); // the consumer is busy with this one: nothing further is read
      await running.recorder.waitFor(() => changes(running.recorder).length === 1, 'the event being held');
      sim.faults.dropWatches();
      await write(sim, client, 'expired', 'create', 'b');
      await write(sim, client, 'expired', 'delete', 'doomed');
      sim.faults.compactHistory();
      gate.release();
      await running.recorder.waitFor(() => running.recorder.eventsOf('synced').length === 2, 'a relist');
      assert.is(running.metrics.count('relist', 'configmaps'), 1);
      assert.equal(running.recorder.names('configmaps', 'expired'), [
        'expired/a',
        'expired/b',
        'expired/kube-root-ca.crt',
      ]);
      assertMatchesServer(sim, running.recorder, 'expired');
      const after = await write(sim, client, 'expired', 'update', 'b', { x: 'y' });
      await running.recorder.waitFor(
        () => changes(running.recorder).includes(`upsert b@${after}`),
        'watching again after the relist',
      );
    } finally {
      gate.release();
      await running.stop();
    }
  },
);

reflectors('429 with Retry-After is honoured before watching again', async ({ sim, client }) => {
  await createNamespace(client, 'throttled');
  const running = await startReflector(client, 'throttled');
  try {
    sim.faults.throttleNext(2, 1);
    sim.faults.dropWatches();
    await running.recorder.waitFor(
      () => running.metrics.count('error', 'configmaps') >= 3,
      () => `the drop and two 429s: ${JSON.stringify([...running.metrics.counts])} ${running.sleeps}`,
      5000,
    );
    const rv = await write(sim, client, 'throttled', 'create', 'after-throttle');
    await running.recorder.waitFor(
      () => changes(running.recorder).includes(`upsert after-throttle@${rv}`),
      'the watch back',
    );
    assert.is(running.sleeps.filter((ms) => ms >= 1000).length, 2, `waits: ${running.sleeps.join(', ')}`);
    assert.is(running.metrics.count('relist', 'configmaps'), 0);
  } finally {
    await running.stop();
  }
});

reflectors('500s are retried with growing backoff', async ({ sim, client }) => {
  await createNamespace(client, 'failing');
  const running = await startReflector(client, 'failing', { backoff: { baseMs: 10, maxMs: 1000, random: () => 1 } });
  try {
    sim.faults.failNext(3);
    sim.faults.dropWatches();
    await running.recorder.waitFor(
      () => running.metrics.count('error', 'configmaps') >= 4,
      () => `the drop and three 500s: ${JSON.stringify([...running.metrics.counts])} ${running.sleeps}`,
      5000,
    );
    const rv = await write(sim, client, 'failing', 'create', 'after-failures');
    await running.recorder.waitFor(
      () => changes(running.recorder).includes(`upsert after-failures@${rv}`),
      'the watch back',
    );
    assert.equal(running.sleeps, [10, 20, 40, 80]);
    assert.is(running.metrics.count('relist', 'configmaps'), 0);
  } finally {
    await running.stop();
  }
});

reflectors('a quiet watch with only bookmarks is not restarted', async ({ client }) => {
  await createNamespace(client, 'quiet');
  const running = await startReflector(client, 'quiet', { watchTimeoutSeconds: 300 });
  try {
    await sleep(1200);
    assert.ok(running.metrics.count('event BOOKMARK', 'configmaps') >= 5, 'bookmarks arrive');
    assert.is(running.metrics.count('restart', 'configmaps'), 0);
    assert.is(running.metrics.count('error', 'configmaps'), 0);
    assert.is(running.metrics.count('relist', 'configmaps'), 0);
    assert.equal(changes(running.recorder), [], 'bookmarks are not handed on');
    assert.is(running.recorder.eventsOf('synced').length, 1);
  } finally {
    await running.stop();
  }
});

reflectors('a watch the server ends is started again from the last version', async ({ sim, client }) => {
  await createNamespace(client, 'timeouts');
  const running = await startReflector(client, 'timeouts', {
    watchTimeoutSeconds: 1,
    backoff: { baseMs: 10, random: () => 0 },
  });
  try {
    await running.recorder.waitFor(
      () => running.metrics.count('restart', 'configmaps') >= 1,
      'the server ending a watch',
      5000,
    );
    const rv = await write(sim, client, 'timeouts', 'create', 'later');
    await running.recorder.waitFor(() => changes(running.recorder).includes(`upsert later@${rv}`), 'the change');
    assert.is(running.metrics.count('relist', 'configmaps'), 0);
    assert.is(running.metrics.count('error', 'configmaps'), 0);
    assertMatchesServer(sim, running.recorder, 'timeouts');
  } finally {
    await running.stop();
  }
});

reflectors('a server restarted without its state (versions start over) is relisted', async ({ sim, client }) => {
  await createNamespace(client, 'reborn');
  await write(sim, client, 'reborn', 'create', 'old-1');
  await write(sim, client, 'reborn', 'create', 'old-2');
  const running = await startReflector(client, 'reborn');
  try {
    const before = sim.resourceVersion;
    await sim.faults.restart({ keepState: false, keepRevisions: false });
    assert.ok(sim.resourceVersion < before, 'versions started over');
    await createNamespace(client, 'reborn');
    await write(sim, client, 'reborn', 'create', 'new-1');
    await running.recorder.waitFor(inSync(sim, running.recorder, 'reborn'), 'the new server state');
    assert.is(running.metrics.count('relist', 'configmaps'), 1);
    assert.equal(running.recorder.names('configmaps', 'reborn'), ['reborn/kube-root-ca.crt', 'reborn/new-1']);
    const rv = await write(sim, client, 'reborn', 'update', 'new-1', { b: '2' });
    await running.recorder.waitFor(
      () => changes(running.recorder).includes(`upsert new-1@${rv}`),
      'watching the new server',
    );
    assertMatchesServer(sim, running.recorder, 'reborn');
  } finally {
    await running.stop();
  }
});

reflectors('relists wait for the consumer to have room, and take turns', async ({ sim, client }) => {
  await createNamespace(client, 'turn-a');
  await createNamespace(client, 'turn-b');
  let full = true;
  let openRoom!: () => void;
  const room = new Promise<void>((resolve) => (openRoom = resolve));
  let asked = 0;
  const relistTurns = new RelistTurns(() => {
    asked++;
    return full ? room : undefined;
  });
  // Each consumer is held on an event while the watches drop and the history is compacted, so neither can watch again
  // before its version has expired: both must relist.
  const gate = new ConsumerGate();
  const first = await startReflector(client, 'turn-a', { relistTurns }, gate.pass);
  const second = await startReflector(client, 'turn-b', { relistTurns }, gate.pass);
  try {
    gate.hold();
    await write(sim, client, 'turn-a', 'create', 'a');
    await write(sim, client, 'turn-b', 'create', 'b');
    await first.recorder.waitFor(() => changes(first.recorder).length === 1, 'the first consumer held');
    await second.recorder.waitFor(() => changes(second.recorder).length === 1, 'the second consumer held');
    sim.faults.dropWatches();
    await write(sim, client, 'turn-a', 'create', 'a2');
    await write(sim, client, 'turn-b', 'create', 'b2');
    sim.faults.compactHistory();
    gate.release();
    await first.recorder.waitFor(() => asked === 1, 'a relist asking for room');
    await sleep(500);
    assert.is(asked, 1, 'the second relist waits for the first one');
    assert.is(first.recorder.eventsOf('synced').length + second.recorder.eventsOf('synced').length, 2, 'no relist yet');
    full = false;
    openRoom();
    await first.recorder.waitFor(() => first.recorder.eventsOf('synced').length === 2, 'the first relist');
    await second.recorder.waitFor(() => second.recorder.eventsOf('synced').length === 2, 'the second relist');
    assert.is(asked, 2);
    assertMatchesServer(sim, first.recorder, 'turn-a');
    assertMatchesServer(sim, second.recorder, 'turn-b');
  } finally {
    gate.release();
    openRoom();
    await first.stop();
    await second.stop();
  }
});

reflectors.run();
