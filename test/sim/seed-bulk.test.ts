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

test('100,000 seeded objects list and page', async () => {
  const objects: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bulk' } }];
  for (let i = 0; i < 100_000; i++)
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}`, namespace: 'bulk', labels: { n: String(i % 10) } },
      data: { i: String(i) },
    });
  // How long seeding takes is the bench's to measure (every figure starts a seeded simulator), not a test's.
  sim.seed(objects);
  const page = await call(sim, 'GET', '/api/v1/namespaces/bulk/configmaps?limit=500&labelSelector=n%3D3');
  assert.is(page.json.items.length, 500);
  assert.ok(page.json.metadata.continue);
  assert.is(sim.list('', 'configmaps', 'bulk').length, 100_001);
});

test('paging by namespace and label selector gives the unpaged list, with the count remaining when unfiltered', async () => {
  const pages = async (path: string) => {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await call(sim, 'GET', `${path}${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
      names.push(...page.json.items.map((item: KubeObject) => item.metadata.name));
      assert.is(page.json.metadata.remainingItemCount, undefined, 'a filtered list does not count what remains');
      token = page.json.metadata.continue;
    } while (token);
    return names;
  };
  const names = (objects: KubeObject[]) => objects.map((o) => o.metadata.name);
  assert.equal(
    await pages('/api/v1/namespaces/bulk/configmaps?limit=700&labelSelector=n%3D3'),
    names(sim.list('', 'configmaps', 'bulk', { labelSelector: 'n=3' })),
  );
  assert.equal(
    await pages('/api/v1/configmaps?limit=5000&fieldSelector=metadata.namespace%3Dbulk'),
    names(sim.list('', 'configmaps', 'bulk')),
  );
  const first = await call(sim, 'GET', '/api/v1/configmaps?limit=5000');
  assert.is(first.json.metadata.remainingItemCount, sim.list('', 'configmaps').length - 5000);
  const inBulk = await call(sim, 'GET', '/api/v1/namespaces/bulk/configmaps?limit=5000');
  assert.is(inBulk.json.metadata.remainingItemCount, 100_001 - 5000);
});

test.run();
