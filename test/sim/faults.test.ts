// Every injected fault, observed from a client: dropped watches, 429 with Retry-After, 500, latency,
// compaction, and restarts on the same port (keeping or losing state and resourceVersions).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { call, watch } from './http.ts';
import { kubectl } from '../helpers/kubectl.ts';

let sim: Simulator;

test.before(async () => {
  sim = await startSimulator();
  sim.seedYaml('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  namespace: default\ndata:\n  a: "1"\n');
});

test.after(async () => {
  await sim.stop();
});

test('dropWatches cuts open watch connections', async () => {
  const stream = await watch(sim, `/api/v1/configmaps?watch=1&resourceVersion=${sim.resourceVersion}`);
  sim.faults.dropWatches();
  assert.is(await stream.ended, 'error');
  assert.is((await call(sim, 'GET', '/api/v1/configmaps')).status, 200, 'ordinary requests still work');
});

test('throttleNext answers 429 with Retry-After; kubectl waits and retries', async () => {
  sim.faults.throttleNext(1, 2);
  const throttled = await call(sim, 'GET', '/api/v1/namespaces/default/configmaps');
  assert.is(throttled.status, 429);
  assert.is(throttled.headers['retry-after'], '2');
  assert.is(throttled.json.reason, 'TooManyRequests');
  assert.is(throttled.json.details.retryAfterSeconds, 2);
  assert.is((await call(sim, 'GET', '/api/v1/namespaces/default/configmaps')).status, 200);

  sim.faults.throttleNext(2, 1);
  const started = Date.now();
  const result = await kubectl(sim.kubeconfigPath, ['get', 'configmap', 'keep', '-o', 'name']);
  assert.is(result.code, 0, result.stderr);
  assert.is(result.stdout.trim(), 'configmap/keep');
  assert.ok(Date.now() - started >= 1000, 'kubectl honoured Retry-After');
});

test('failNext answers 500 InternalError for exactly N requests', async () => {
  sim.faults.failNext(2);
  const first = await call(sim, 'GET', '/api/v1/namespaces/default/configmaps/keep');
  const second = await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nope' } },
  });
  const third = await call(sim, 'GET', '/api/v1/namespaces/default/configmaps/keep');
  assert.equal([first.status, second.status, third.status], [500, 500, 200]);
  assert.is(first.json.reason, 'InternalError');
  assert.is(sim.get('', 'configmaps', 'default', 'nope'), undefined, 'a failed request changes nothing');
});

test('compactHistory expires watches from older resourceVersions', async () => {
  const old = sim.resourceVersion;
  await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' } },
  });
  sim.faults.compactHistory();
  const stream = await watch(sim, `/api/v1/configmaps?watch=1&resourceVersion=${old}`);
  await stream.ended;
  assert.is(stream.events[0].type, 'ERROR');
  assert.is(stream.events[0].object.code, 410);
  const fresh = await watch(sim, `/api/v1/configmaps?watch=1&resourceVersion=${sim.resourceVersion}`);
  await call(sim, 'DELETE', '/api/v1/namespaces/default/configmaps/later');
  assert.equal(
    (await fresh.next(1)).map((e) => e.type),
    ['DELETED'],
  );
  fresh.close();
});

test('restart keeping state: same port, same objects, resourceVersions go on, watches are cut', async () => {
  const { url } = sim;
  const before = sim.resourceVersion;
  const stream = await watch(sim, `/api/v1/configmaps?watch=1&resourceVersion=${before}`);
  await sim.faults.restart();
  assert.is(await stream.ended, 'error');
  assert.is(sim.url, url);
  const kept = await call(sim, 'GET', '/api/v1/namespaces/default/configmaps/keep');
  assert.is(kept.status, 200);
  const created = await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after' } },
  });
  assert.ok(Number(created.json.metadata.resourceVersion) > before);
});

test('restart losing state: the objects are gone; resourceVersions go on or start over', async () => {
  const before = sim.resourceVersion;
  await sim.faults.restart({ keepState: false });
  assert.is((await call(sim, 'GET', '/api/v1/namespaces/default/configmaps/keep')).status, 404);
  assert.is(
    (await call(sim, 'GET', '/api/v1/namespaces/default')).status,
    200,
    'a fresh cluster has its built-in namespaces',
  );
  assert.ok(sim.resourceVersion > before);
  const expired = await watch(sim, `/api/v1/configmaps?watch=1&resourceVersion=${before - 1}`);
  await expired.ended;
  assert.is(expired.events[0].object.code, 410);

  const beforeReset = sim.resourceVersion;
  await sim.faults.restart({ keepState: false, keepRevisions: false });
  assert.ok(sim.resourceVersion < 50, `resourceVersion started over (${sim.resourceVersion})`);
  const ahead = await watch(sim, `/api/v1/configmaps?watch=1&resourceVersion=${beforeReset}`);
  await ahead.ended;
  assert.is(ahead.events[0].type, 'ERROR');
  assert.is(ahead.events[0].object.code, 504);
  assert.is(ahead.events[0].object.details.causes[0].reason, 'ResourceVersionTooLarge');
  const list = await kubectl(sim.kubeconfigPath, ['get', 'namespaces', '-o', 'name']);
  assert.match(list.stdout, 'namespace/kube-system');
});

test.run();
