// Bulk seeding: 100,000 objects load in seconds and then list, filter and page like any others.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type KubeObject, type Simulator } from '../../lib/sim/index.ts';
import { call } from './http.ts';

let sim: Simulator;

test.before(async () => {
  sim = await startSimulator();
});

test.after(async () => {
  await sim.stop();
});

test('seeding 100,000 objects takes seconds, and they list and page', async () => {
  const objects: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bulk' } }];
  for (let i = 0; i < 100_000; i++) objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'bulk', labels: { n: String(i % 10) } }, data: { i: String(i) } });
  const started = Date.now();
  sim.seed(objects);
  const seconds = (Date.now() - started) / 1000;
  // About 3 s on an idle 2-core machine; the bound leaves room for a machine busy with other test files.
  assert.ok(seconds < 40, `seeding took ${seconds}s`);
  const page = await call(sim, 'GET', '/api/v1/namespaces/bulk/configmaps?limit=500&labelSelector=n%3D3');
  assert.is(page.json.items.length, 500);
  assert.ok(page.json.metadata.continue);
  assert.is(sim.list('', 'configmaps', 'bulk').length, 100_001);
});

test.run();
