// A list or relist hands each page's objects to the consumer before it asks the server for the next page, so a
// consumer that holds on to an object (the writer's backpressure) holds the list back, and only a page is in memory.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sleep } from '../../lib/concurrency/index.ts';
import type { KubeClient } from '../../lib/kube/index.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { Reflector, type ReflectorEvent } from '../../lib/watch/index.ts';
import { seedConfigMapNamespace } from '../helpers/cluster.ts';
import { configmaps, connect, MetricsRecorder, objectNames, StateRecorder } from './recorder.ts';

const tests = suite<{ sim: Simulator; client: KubeClient }>('reflector: a list page by page');

// More than the reflector's page of 500: two pages.
const OBJECTS = 600;

tests.before(async (context) => {
  context.sim = await startSimulator({ bookmarkIntervalMs: 100 });
  context.client = await connect(context.sim);
});

tests.after(async (context) => {
  context.client?.close();
  await context.sim?.stop();
});

/** The client, counting the list requests that ask for a next page (a continue token). */
function countingNextPages(client: KubeClient): { client: KubeClient; nextPages: () => number } {
  let count = 0;
  const counting: KubeClient = Object.create(client);
  counting.request = (method, path, options) => {
    if (options?.query?.continue) count++;
    return client.request(method, path, options);
  };
  return { client: counting, nextPages: () => count };
}

/** A reflector of one namespace's ConfigMaps whose consumer is `consume` (after the recorder has the event). */
function startReflector(
  client: KubeClient,
  namespace: string,
  consume: (event: ReflectorEvent) => Promise<void> | void = () => undefined,
) {
  const recorder = new StateRecorder();
  const metrics = new MetricsRecorder();
  const controller = new AbortController();
  const run = new Reflector({
    client,
    resource: configmaps,
    namespace,
    backoff: { baseMs: 20, maxMs: 500 },
    metrics,
    onEvent: async (event) => {
      recorder.onEvent(
        event.type === 'synced' ? { ...event, resource: configmaps, namespace } : { ...event, resource: configmaps },
      );
      await consume(event);
    },
    signal: controller.signal,
  }).run();
  return {
    recorder,
    metrics,
    async stop() {
      controller.abort();
      await run;
    },
  };
}

function assertMatchesServer(sim: Simulator, recorder: StateRecorder, namespace: string): void {
  assert.equal(recorder.names('configmaps', namespace), objectNames(sim.list('', 'configmaps', namespace)));
}

/** A gate the consumer waits at; `reached` resolves when it got there. */
function gate() {
  let open!: () => void;
  let reach!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (reach = resolve));
  return {
    open,
    reached,
    wait: () => {
      reach();
      return opened;
    },
  };
}

tests('the first list hands on its first page before it asks for the second', async ({ sim, client }) => {
  seedConfigMapNamespace(sim, 'first', OBJECTS);
  const counted = countingNextPages(client);
  const held = gate();
  let first: ReflectorEvent | undefined;
  const running = startReflector(counted.client, 'first', (event) => {
    if (first) return;
    first = event;
    return held.wait();
  });
  try {
    await held.reached;
    assert.is(first?.type === 'upsert' && first.listed && first.object.metadata.name, 'cm-000');
    await sleep(100); // room for a list that reads ahead while its consumer is busy
    assert.is(counted.nextPages(), 0, 'the second page is not asked for while the consumer holds the first object');
    held.open();
    await running.recorder.waitFor(() => running.recorder.eventsOf('synced').length === 1, 'the list');
    assert.is(counted.nextPages(), 1, 'the list had two pages');
    const synced = running.recorder.eventsOf('synced')[0];
    assert.is(synced.type === 'synced' && synced.keys.length, sim.list('', 'configmaps', 'first').length);
    assertMatchesServer(sim, running.recorder, 'first');
  } finally {
    held.open();
    await running.stop();
  }
});

tests('a relist hands on its first page before it asks for the second', async ({ sim, client }) => {
  seedConfigMapNamespace(sim, 'relist', OBJECTS);
  const counted = countingNextPages(client);
  const trigger = gate();
  const held = gate();
  let relisting = false;
  let firstRelisted: { event: ReflectorEvent; nextPages: number } | undefined;
  const running = startReflector(counted.client, 'relist', (event) => {
    if (event.type === 'upsert' && !event.listed && event.object.metadata.name === 'trigger') return trigger.wait();
    if (!relisting || firstRelisted) return;
    firstRelisted = { event, nextPages: counted.nextPages() };
    return held.wait();
  });
  try {
    await running.recorder.waitFor(() => running.metrics.count('event BOOKMARK', 'configmaps') > 0, 'the watch');
    // The consumer holds on a watch event while the watch drops and its version is compacted away: it must relist.
    await client.json('POST', '/api/v1/namespaces/relist/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'trigger' } },
    });
    await trigger.reached;
    sim.faults.dropWatches();
    await client.json('DELETE', '/api/v1/namespaces/relist/configmaps/cm-007');
    sim.faults.compactHistory();
    const nextPagesBefore = counted.nextPages();
    relisting = true;
    trigger.open();
    await held.reached;
    const event = firstRelisted?.event;
    assert.is(event?.type === 'upsert' && event.listed && event.object.metadata.name, 'cm-000');
    assert.is(firstRelisted?.nextPages, nextPagesBefore, 'the relist had not asked for its second page');
    await sleep(100);
    assert.is(counted.nextPages(), nextPagesBefore, 'nor while the consumer holds its first object');
    held.open();
    await running.recorder.waitFor(() => running.recorder.eventsOf('synced').length === 2, 'the relist');
    assert.is(running.metrics.count('relist', 'configmaps'), 1);
    assert.is(counted.nextPages(), nextPagesBefore + 1, 'the relist had two pages');
    assertMatchesServer(sim, running.recorder, 'relist');
    assert.not.ok(running.recorder.names('configmaps', 'relist').includes('relist/cm-007'), 'the deletion seen');
  } finally {
    trigger.open();
    held.open();
    await running.stop();
  }
});

tests(
  'a list restarted (its continue token expired) forgets what the abandoned pages listed',
  async ({ sim, client }) => {
    seedConfigMapNamespace(sim, 'restarted', OBJECTS);
    const held = gate();
    let first = true;
    const running = startReflector(client, 'restarted', () => {
      if (!first) return;
      first = false;
      return held.wait();
    });
    try {
      await held.reached;
      // cm-001 is in the first page already read; the second page's token expires, and the list starts over.
      await client.json('DELETE', '/api/v1/namespaces/restarted/configmaps/cm-001');
      sim.faults.compactHistory();
      held.open();
      await running.recorder.waitFor(() => running.recorder.eventsOf('synced').length === 1, 'the list');
      const upserts = running.recorder.eventsOf('upsert').map((e) => e.type === 'upsert' && e.object.metadata.name);
      assert.ok(upserts.includes('cm-001'), 'the abandoned first page was handed on');
      assert.is(upserts.length, 2 * 500 + (OBJECTS - 500), 'the list started over');
      assertMatchesServer(sim, running.recorder, 'restarted');
      assert.not.ok(running.recorder.names('configmaps', 'restarted').includes('restarted/cm-001'));
    } finally {
      held.open();
      await running.stop();
    }
  },
);

tests.run();
