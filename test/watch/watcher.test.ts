import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { sleep } from '../../lib/concurrency/index.ts';
import { ClusterError } from '../../lib/errors/index.ts';
import { KubeClient, qualifiedResourceName } from '../../lib/kube/index.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { Watcher, type WatcherOptions } from '../../lib/watch/index.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { ManualClock } from '../health/manual-clock.ts';
import { connect, MetricsRecorder, objectNames, StateRecorder } from './recorder.ts';

const watchers = suite<{ sim: Simulator; client: KubeClient }>('watcher');
const fixture = (name: string) => readFileSync(new URL(`../fixtures/cluster/${name}`, import.meta.url), 'utf8');
const crdManifest = fixture('05-crd.yaml').split('\n---\n')[0];
const seed = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop, labels: {tier: frontend}}
data: {a: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: db-config, namespace: shop, labels: {tier: backend}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
`;

watchers.before(async (context) => {
  context.sim = await startSimulator({ bookmarkIntervalMs: 200 });
  context.sim.seedYaml(seed);
  context.client = await connect(context.sim);
});

watchers.after(async (context) => {
  context.client?.close();
  await context.sim?.stop();
});

async function startWatcher(client: KubeClient, options: Partial<WatcherOptions> = {}) {
  const recorder = new StateRecorder();
  const metrics = new MetricsRecorder();
  const watcher = new Watcher({
    client,
    onEvent: recorder.onEvent,
    metrics,
    discoveryIntervalMs: 60_000,
    backoff: { baseMs: 20, maxMs: 500 },
    ...options,
  });
  await watcher.start();
  await watcher.ready;
  return { watcher, recorder, metrics };
}

async function kubectlOk(sim: Simulator, args: string[], input?: string): Promise<void> {
  const result = await kubectl(sim.kubeconfigPath, args, input);
  assert.is(result.code, 0, result.stderr);
}

watchers('first a synced list per selected kind, then kubectl changes in order', async ({ sim, client }) => {
  const { watcher, recorder } = await startWatcher(client);
  try {
    const synced = recorder.eventsOf('synced').map((e) => qualifiedResourceName(e.resource));
    for (const kind of [
      'configmaps',
      'namespaces',
      'deployments.apps',
      'customresourcedefinitions.apiextensions.k8s.io',
    ])
      assert.ok(synced.includes(kind), `${kind} listed`);
    for (const skipped of ['events', 'events.events.k8s.io', 'leases.coordination.k8s.io', 'endpoints', 'nodes'])
      assert.not.ok(synced.includes(skipped), `${skipped} skipped`);
    assert.is(new Set(synced).size, synced.length, 'each kind listed once');
    assert.equal(recorder.names('configmaps'), objectNames(sim.list('', 'configmaps')));
    assert.equal(recorder.names('deployments.apps'), objectNames(sim.list('apps', 'deployments')));

    const before = recorder.events.length;
    await kubectlOk(sim, ['create', 'configmap', 'live', '-n', 'shop', '--from-literal=a=1']);
    await kubectlOk(sim, ['label', 'configmap', 'live', '-n', 'shop', 'stage=two']);
    await kubectlOk(sim, ['delete', 'configmap', 'live', '-n', 'shop']);
    const changes = () =>
      recorder.events.slice(before).filter((e) => qualifiedResourceName(e.resource) === 'configmaps');
    await recorder.waitFor(() => changes().length >= 3, 'three changes');
    assert.equal(
      changes().map((e) => e.type),
      ['upsert', 'upsert', 'delete'],
    );
    const labelled = changes()[1];
    assert.is(labelled.type === 'upsert' && labelled.object.metadata.labels?.stage, 'two');
    assert.is(labelled.type === 'upsert' && labelled.object.kind, 'ConfigMap');
    const sequences = recorder.events.map((e) => e.sequence!);
    assert.equal(
      sequences,
      sequences.map((_, i) => i + 1),
      'one sequence, by one, in delivery order',
    );
  } finally {
    await watcher.stop();
  }
});

watchers('-n and -l: one collection per namespace, labels filtered by the server', async ({ sim, client }) => {
  const { watcher, recorder } = await startWatcher(client, {
    selection: { namespaces: ['shop'], labelSelector: 'tier=frontend' },
  });
  try {
    const synced = recorder.eventsOf('synced');
    const configmaps = synced.filter((e) => qualifiedResourceName(e.resource) === 'configmaps');
    assert.equal(
      configmaps.map((e) => e.type === 'synced' && e.namespace),
      ['shop'],
    );
    assert.not.ok(
      synced.some((e) => !e.resource.namespaced && qualifiedResourceName(e.resource) !== 'namespaces'),
      'no cluster-scoped kinds but namespaces',
    );
    assert.equal(
      recorder.names('configmaps'),
      objectNames(sim.list('', 'configmaps', 'shop', { labelSelector: 'tier=frontend' })),
    );
    await kubectlOk(sim, ['create', 'configmap', 'unlabelled', '-n', 'shop']);
    await kubectlOk(sim, ['create', 'configmap', 'elsewhere', '-n', 'default']);
    await kubectlOk(sim, ['create', 'configmap', 'front', '-n', 'shop']);
    await kubectlOk(sim, ['label', 'configmap', 'front', '-n', 'shop', 'tier=frontend']);
    await recorder.waitFor(() => recorder.names('configmaps').includes('shop/front'), 'the labelled one');
    await sleep(300);
    assert.not.ok(recorder.names('configmaps').includes('shop/unlabelled'));
    assert.not.ok(recorder.names('configmaps').includes('default/elsewhere'));
  } finally {
    await watcher.stop();
  }
});

watchers('a CRD installed while watching is followed; removing it removes its kind', async ({ sim, client }) => {
  // CRDs excluded by the user: still watched to follow discovery, but none of their objects are handed on.
  const { watcher, recorder } = await startWatcher(client, { selection: { exclude: ['customresourcedefinitions'] } });
  try {
    assert.not.ok(recorder.state.has('widgets.example.com'));
    await kubectlOk(sim, ['apply', '-f', '-'], crdManifest);
    await recorder.waitFor(() => recorder.eventsOf('synced', 'widgets.example.com').length === 1, 'widgets listed');
    await kubectlOk(
      sim,
      ['apply', '-f', '-'],
      'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: gear\n  namespace: shop\nspec:\n  size: 3\n',
    );
    await recorder.waitFor(() => recorder.names('widgets.example.com').includes('shop/gear'), 'the widget');
    const widget = recorder.state.get('widgets.example.com')!.get('shop/gear')!;
    assert.is(widget.kind, 'Widget');
    assert.is(widget.apiVersion, 'example.com/v1');

    await kubectlOk(sim, ['delete', 'customresourcedefinition', 'widgets.example.com']);
    await recorder.waitFor(() => recorder.eventsOf('resource-removed').length === 1, 'resource-removed');
    const removed = recorder.eventsOf('resource-removed')[0];
    assert.is(qualifiedResourceName(removed.resource), 'widgets.example.com');
    assert.not.ok(recorder.state.has('widgets.example.com'));
    assert.is(
      recorder.eventsOf('upsert', 'customresourcedefinitions.apiextensions.k8s.io').length,
      0,
      'no CRD objects handed on',
    );
    assert.is(recorder.eventsOf('synced', 'customresourcedefinitions.apiextensions.k8s.io').length, 0);
  } finally {
    await watcher.stop();
  }
});

/** The client, counting the reads of core discovery (`GET /api`): one per discovery. */
function countingDiscoveries(client: KubeClient): { client: KubeClient; discoveries: () => number } {
  let count = 0;
  const counting: KubeClient = Object.create(client);
  counting.json = (method, path, options) => {
    if (path === '/api') count++;
    return client.json(method, path, options);
  };
  return { client: counting, discoveries: () => count };
}

watchers(
  "periodic discovery follows the watcher's clock and restarts nothing; a new CRD outside --include stays unwatched",
  async ({ sim, client }) => {
    const clock = new ManualClock();
    const counted = countingDiscoveries(client);
    const { watcher, recorder, metrics } = await startWatcher(counted.client, {
      selection: { include: ['configmaps', 'customresourcedefinitions'] },
      discoveryIntervalMs: 60_000,
      clock,
    });
    try {
      assert.equal(
        recorder
          .eventsOf('synced')
          .map((e) => qualifiedResourceName(e.resource))
          .sort(),
        ['configmaps', 'customresourcedefinitions.apiextensions.k8s.io'],
      );
      for (let refresh = 1; refresh <= 3; refresh++) {
        const before = counted.discoveries();
        clock.advance(60_000);
        await recorder.waitFor(() => counted.discoveries() > before, `periodic discovery ${refresh}`);
      }
      assert.is(recorder.eventsOf('synced').length, 2, 'refreshes that find nothing new restart nothing');
      assert.is(metrics.count('relist', 'configmaps'), 0);
      const crdsListed = recorder.eventsOf('upsert', 'customresourcedefinitions.apiextensions.k8s.io').length;
      await kubectlOk(sim, ['apply', '-f', '-'], crdManifest);
      await recorder.waitFor(
        () => recorder.eventsOf('upsert', 'customresourcedefinitions.apiextensions.k8s.io').length > crdsListed,
        'the CRD itself',
      );
      await sleep(500);
      assert.not.ok(
        recorder.state.has('widgets.example.com'),
        '--include configmaps,customresourcedefinitions leaves widgets out',
      );
      await kubectlOk(sim, ['delete', 'customresourcedefinition', 'widgets.example.com']);
      await recorder.waitFor(
        () => recorder.eventsOf('delete', 'customresourcedefinitions.apiextensions.k8s.io').length === 1,
        'the CRD deleted',
      );
      assert.is(recorder.eventsOf('resource-removed').length, 0);
    } finally {
      await watcher.stop();
    }
  },
);

watchers('stop() ends every stream promptly; nothing arrives after it', async ({ sim, client }) => {
  const { watcher, recorder } = await startWatcher(client);
  const started = Date.now();
  await watcher.stop();
  assert.ok(Date.now() - started < 1000, `stopped in ${Date.now() - started} ms`);
  await watcher.done;
  const count = recorder.events.length;
  await kubectlOk(sim, ['create', 'configmap', 'after-stop', '-n', 'shop']);
  await sleep(300);
  assert.is(recorder.events.length, count);
});

watchers('a consumer that throws stops the watcher and rejects done', async ({ sim, client }) => {
  const metrics = new MetricsRecorder();
  let calls = 0;
  const watcher = new Watcher({
    client,
    metrics,
    selection: { include: ['configmaps'] },
    onEvent: (event) => {
      calls++;
      if (event.type === 'upsert' && event.object.metadata.name === 'breaks-it') throw new Error('disk full');
    },
  });
  await watcher.start();
  await watcher.ready;
  await kubectlOk(sim, ['create', 'configmap', 'breaks-it', '-n', 'shop']);
  const error = await watcher.done.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.match(String(error), /disk full/);
  const after = calls;
  await kubectlOk(sim, ['create', 'configmap', 'ignored', '-n', 'shop']);
  await sleep(200);
  assert.is(calls, after);
  await watcher.stop();
});

watchers('an AbortSignal stops it too; ready rejects when stopped before every kind was listed', async ({ client }) => {
  const controller = new AbortController();
  const watcher = new Watcher({ client, onEvent: () => sleep(50), signal: controller.signal });
  await watcher.start();
  const started = Date.now();
  controller.abort();
  await watcher.done;
  assert.ok(Date.now() - started < 1000, `stopped in ${Date.now() - started} ms`);
  const error = await watcher.ready.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.match(String(error), /stopped before every collection was listed/);
});

watchers('an unreachable server: start() rejects with one sentence, done rejects too', async ({ client }) => {
  const unreachable = new KubeClient({ ...client.connection, server: 'https://127.0.0.1:1' });
  const watcher = new Watcher({ client: unreachable, onEvent: () => {} });
  const error = await watcher.start().then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof ClusterError, String(error));
  assert.match(
    (error as Error).message,
    /^cannot reach the API server at https:\/\/127\.0\.0\.1:1: connection refused\.$/,
  );
  assert.is(
    await watcher.done.then(
      () => 'resolved',
      (e: unknown) => e,
    ),
    error,
  );
  unreachable.close();
});

watchers.run();
