// The simulator's responses against those recorded from a real kube-apiserver v1.32 (test/fixtures/apiserver).
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { call } from './http.ts';

const FIXTURES = new URL('../fixtures/apiserver/', import.meta.url);
const fixture = (path: string): any => JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8'));
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

let sim: Simulator;

test.before(async () => {
  sim = await startSimulator();
  // The recorded cluster had the widgets CRD; so does this one.
  sim.seed([fixture('objects/_cluster_customresourcedefinitions.apiextensions.k8s.io_widgets.example.com.json')]);
  sim.seedYaml('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
});

test.after(async () => {
  await sim.stop();
});

test('/version and /api have the recorded shape', async () => {
  const version = await call(sim, 'GET', '/version');
  assert.equal(Object.keys(version.json), Object.keys(fixture('version.json')));
  assert.is(version.json.minor, '32');
  const api = await call(sim, 'GET', '/api');
  assert.equal(Object.keys(api.json), Object.keys(fixture('discovery/api.json')));
  assert.equal(api.json.versions, ['v1']);
});

test('/apis lists the recorded groups in the recorded order, preferred versions included', async () => {
  const apis = await call(sim, 'GET', '/apis');
  assert.equal(apis.json, fixture('discovery/apis.json'));
});

test('every /api/v1 and /apis/<group>/<version> document equals the recorded one', async () => {
  const files = readdirSync(new URL('discovery/', FIXTURES)).filter(
    (f) => f === 'api_v1.json' || (f.startsWith('apis_') && f !== 'apis.json'),
  );
  assert.ok(files.length > 15);
  for (const file of files) {
    const expected = fixture(`discovery/${file}`);
    const path = file === 'api_v1.json' ? '/api/v1' : `/apis/${expected.groupVersion}`;
    const actual = await call(sim, 'GET', path);
    assert.is(actual.status, 200, path);
    assert.equal(actual.json, expected, path);
  }
});

test('aggregated discovery (apidiscovery.k8s.io/v2) is negotiated by Accept and equals the recorded documents', async () => {
  for (const [path, file] of [
    ['/api', 'aggregated_api.json'],
    ['/apis', 'aggregated_apis.json'],
  ]) {
    const response = await call(sim, 'GET', path, { accept: AGGREGATED });
    assert.match(String(response.headers['content-type']), 'as=APIGroupDiscoveryList');
    assert.equal(response.json, fixture(`discovery/${file}`), path);
  }
});

test('an unknown group/version is the plain-text 404 page', async () => {
  const response = await call(sim, 'GET', '/apis/nope.example/v1/things');
  const recorded = readFileSync(new URL('errors/404_unknown_resource.txt', FIXTURES), 'utf8');
  assert.is(response.status, 404);
  assert.is(response.text.trim(), recorded.trim().split('\n').pop());
  assert.match(String(response.headers['content-type']), 'text/plain');
});

test('a list has the recorded shape: items without kind/apiVersion, a resourceVersion, paging fields', async () => {
  const list = await call(sim, 'GET', '/api/v1/configmaps');
  const recorded = fixture('lists/configmaps.json');
  assert.equal(Object.keys(list.json), Object.keys(recorded));
  assert.is(list.json.kind, 'ConfigMapList');
  assert.match(list.json.metadata.resourceVersion, /^\d+$/);
  assert.ok(list.json.items.length >= 5);
  for (const item of list.json.items) {
    assert.is(item.kind, undefined);
    assert.is(item.apiVersion, undefined);
    assert.equal(Object.keys(item), Object.keys(recorded.items[0]));
    assert.equal(Object.keys(item.metadata), Object.keys(recorded.items[0].metadata));
    assert.equal(
      item.metadata.managedFields,
      recorded.items[0].metadata.managedFields.map((m: any) => ({ ...m, time: item.metadata.managedFields[0].time })),
    );
  }
  const page = await call(sim, 'GET', '/api/v1/configmaps?limit=2');
  const recordedPage = fixture('lists/page1_configmaps_limit2.json');
  assert.equal(Object.keys(page.json.metadata), Object.keys(recordedPage.metadata));
  assert.is(page.json.items.length, 2);
  assert.is(page.json.metadata.remainingItemCount, list.json.items.length - 2);
});

test('a GET of a missing object is the recorded 404 NotFound Status', async () => {
  const response = await call(sim, 'GET', '/api/v1/namespaces/shop/configmaps/nope');
  assert.is(response.status, 404);
  assert.equal(response.json, fixture('errors/404_not_found.json'));
});

test('creating twice is 409 AlreadyExists; a stale resourceVersion is 409 Conflict', async () => {
  const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { greeting: 'hello' } };
  const created = await call(sim, 'POST', '/api/v1/namespaces/shop/configmaps', { body });
  assert.is(created.status, 201);
  const again = await call(sim, 'POST', '/api/v1/namespaces/shop/configmaps', { body });
  assert.is(again.status, 409);
  assert.equal(again.json, fixture('errors/409_already_exists.json'));
  const stale = { ...created.json, data: { greeting: 'changed' } };
  assert.is((await call(sim, 'PUT', '/api/v1/namespaces/shop/configmaps/web-config', { body: stale })).status, 200);
  const conflict = await call(sim, 'PUT', '/api/v1/namespaces/shop/configmaps/web-config', { body: stale });
  assert.is(conflict.status, 409);
  assert.equal(conflict.json, fixture('errors/409_conflict.json'));
});

test('an invalid name is the recorded 422 Invalid; a missing name and a missing namespace are rejected too', async () => {
  const bad = await call(sim, 'POST', '/api/v1/namespaces/shop/configmaps', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } },
  });
  assert.is(bad.status, 422);
  assert.equal(bad.json, fixture('errors/422_invalid.json'));
  const unnamed = await call(sim, 'POST', '/api/v1/namespaces/shop/configmaps', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} },
  });
  assert.is(unnamed.status, 422);
  assert.is(unnamed.json.details.causes[0].reason, 'FieldValueRequired');
  const nowhere = await call(sim, 'POST', '/api/v1/namespaces/nowhere/configmaps', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
  });
  assert.is(nowhere.status, 404);
  assert.is(nowhere.json.message, 'namespaces "nowhere" not found');
  const wrongKind = await call(sim, 'POST', '/api/v1/namespaces/shop/configmaps', {
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } },
  });
  assert.is(wrongKind.status, 400);
  const mismatch = await call(sim, 'POST', '/api/v1/namespaces/shop/configmaps', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'other' } },
  });
  assert.is(mismatch.status, 400);
  assert.match(mismatch.json.message, 'does not match the namespace');
});

test('a JSON Patch guarded by a failing test op is the recorded 422', async () => {
  const patch = [
    { op: 'test', path: '/metadata/resourceVersion', value: '1' },
    { op: 'replace', path: '/data/greeting', value: 'x' },
  ];
  const response = await call(sim, 'PATCH', '/api/v1/namespaces/shop/configmaps/web-config', {
    body: patch,
    contentType: 'application/json-patch+json',
  });
  assert.is(response.status, 422);
  assert.equal(response.json, fixture('errors/422_json_patch_test_failed.json'));
  const current = sim.get('', 'configmaps', 'shop', 'web-config')!;
  const ok = await call(sim, 'PATCH', '/api/v1/namespaces/shop/configmaps/web-config', {
    body: [
      { op: 'test', path: '/metadata/resourceVersion', value: current.metadata.resourceVersion },
      { op: 'replace', path: '/data/greeting', value: 'w' },
    ],
    contentType: 'application/json-patch+json',
    userAgent: 'curl/8.5.0',
  });
  assert.is(ok.status, 200);
  const recorded = fixture('writes/json_patch_response.json');
  assert.equal(Object.keys(ok.json), Object.keys(recorded));
  assert.ok(
    ok.json.metadata.managedFields.some((m: any) => m.manager === 'curl'),
    'the default field manager comes from the User-Agent',
  );
});

test('dryRun=All returns the result without a resourceVersion and stores nothing', async () => {
  const before = sim.resourceVersion;
  const response = await call(sim, 'POST', '/api/v1/namespaces/shop/configmaps?dryRun=All', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { a: 'b' } },
    userAgent: 'curl/8.5.0',
  });
  assert.is(response.status, 201);
  const recorded = fixture('writes/create_dry_run_response.json');
  assert.equal(Object.keys(response.json.metadata), Object.keys(recorded.metadata));
  assert.equal(response.json.metadata.managedFields[0].fieldsV1, recorded.metadata.managedFields[0].fieldsV1);
  assert.is(sim.get('', 'configmaps', 'shop', 'dry'), undefined);
  for (const [method, body, type] of [
    ['PUT', { ...sim.get('', 'configmaps', 'shop', 'web-config'), data: { dry: 'run' } }, 'application/json'],
    ['PATCH', { data: { dry: 'run' } }, 'application/merge-patch+json'],
    ['DELETE', undefined, undefined],
  ] as const) {
    const result = await call(sim, method, '/api/v1/namespaces/shop/configmaps/web-config?dryRun=All', {
      body,
      contentType: type,
    });
    assert.is(result.status, 200, method);
  }
  assert.is(
    (sim.get('', 'configmaps', 'shop', 'web-config')?.data as Record<string, string> | undefined)?.dry,
    undefined,
  );
  assert.is(sim.resourceVersion, before);
});

test('server-side apply answers like the recorded apply, and a delete answers with the recorded Status', async () => {
  const applied = await call(sim, 'PATCH', '/api/v1/namespaces/shop/configmaps/applied?fieldManager=kubesnap', {
    body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  k: v\n',
    contentType: 'application/apply-patch+yaml',
  });
  assert.is(applied.status, 201);
  const recorded = fixture('writes/apply_patch_response.json');
  assert.equal(Object.keys(applied.json.metadata), Object.keys(recorded.metadata));
  assert.equal(
    applied.json.metadata.managedFields.map((m: any) => [m.manager, m.operation]),
    recorded.metadata.managedFields.map((m: any) => [m.manager, m.operation]),
  );
  const deleted = await call(sim, 'DELETE', '/api/v1/namespaces/shop/configmaps/applied');
  assert.is(deleted.status, 200);
  assert.equal(deleted.json, {
    ...fixture('writes/delete_response.json'),
    details: { name: 'applied', kind: 'configmaps', uid: applied.json.metadata.uid },
  });
});

test('no token is the anonymous user (403, as recorded); a wrong token is 401 Unauthorized', async () => {
  const anonymous = await call(sim, 'GET', '/api/v1/namespaces', { token: null });
  assert.is(anonymous.status, 403);
  assert.equal(anonymous.json, fixture('errors/401_unauthorized.json'));
  const wrong = await call(sim, 'GET', '/api/v1/namespaces', { token: 'not-the-token' });
  assert.is(wrong.status, 401);
  assert.is(wrong.json.reason, 'Unauthorized');
  assert.is(wrong.json.code, 401);
});

test.run();
