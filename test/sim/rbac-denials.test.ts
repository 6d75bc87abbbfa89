// A service account without bindings gets the real server's 403 Status for each request form, byte for byte as
// recorded from a kube-apiserver v1.32 (test/fixtures/apiserver/rbac); a bad or stale token gets the recorded 401.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { call } from './http.ts';

const FIXTURES = new URL('../fixtures/apiserver/rbac/', import.meta.url);
/** A recorded body as the server sends it: compact JSON (the recordings are pretty-printed) and a newline. */
const recordedBytes = (name: string): string =>
  `${JSON.stringify(JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')))}\n`;

let sim: Simulator;
let token: string;

test.before(async () => {
  sim = await startSimulator();
  sim.seedYaml('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: nobody\n  namespace: rbac-fx\n');
  sim.seedYaml('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\n  namespace: rbac-fx\n');
  token = sim.mintToken('rbac-fx', 'nobody');
});

test.after(async () => {
  await sim.stop();
});

const forms: Array<[string, string, string, unknown?]> = [
  ['403_list_cluster_scope.json', 'GET', '/api/v1/secrets'],
  ['403_get_namespaced.json', 'GET', '/api/v1/namespaces/rbac-fx/configmaps/cm1'],
  ['403_list_namespaced_group.json', 'GET', '/apis/apps/v1/namespaces/rbac-fx/deployments'],
  ['403_watch_namespaced.json', 'GET', '/api/v1/namespaces/rbac-fx/configmaps?watch=true'],
  [
    '403_patch_named.json',
    'PATCH',
    '/apis/coordination.k8s.io/v1/namespaces/rbac-fx/leases/kubesnap',
    { spec: { holderIdentity: 'x' } },
  ],
  [
    '403_create_namespaced.json',
    'POST',
    '/api/v1/namespaces/rbac-fx/configmaps',
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new' } },
  ],
  ['403_get_cluster_scoped_named.json', 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/admin'],
];

for (const [fixture, method, path, body] of forms) {
  test(`${method} ${path} without a binding is ${fixture}, byte for byte`, async () => {
    const response = await call(sim, method, path, {
      token,
      body,
      contentType: method === 'PATCH' ? 'application/merge-patch+json' : undefined,
    });
    assert.is(response.status, 403);
    assert.is(response.text, recordedBytes(fixture));
  });
}

test('a subresource is named resource/subresource in the denial, and the watch path form is a watch', async () => {
  const scale = await call(sim, 'GET', '/apis/apps/v1/namespaces/rbac-fx/deployments/web/scale', { token });
  assert.is(
    scale.json.message,
    'deployments.apps "web" is forbidden: User "system:serviceaccount:rbac-fx:nobody" cannot get resource "deployments/scale" in API group "apps" in the namespace "rbac-fx"',
  );
  assert.equal(scale.json.details, { name: 'web', group: 'apps', kind: 'deployments' });
  const watchPath = await call(sim, 'GET', '/api/v1/watch/namespaces/rbac-fx/configmaps', { token });
  assert.is(watchPath.text, recordedBytes('403_watch_namespaced.json'));
});

test('an unknown resource is refused before it is looked up, as a real server does; a non-resource path says "path"', async () => {
  const unknown = await call(sim, 'GET', '/apis/example.com/v1/namespaces/rbac-fx/gadgets', { token });
  assert.is(unknown.status, 403);
  const path = await call(sim, 'GET', '/metrics', { token });
  assert.is(path.status, 403);
  assert.equal(path.json.details, {});
  assert.is(path.json.message, 'forbidden: User "system:serviceaccount:rbac-fx:nobody" cannot get path "/metrics"');
});

test('discovery, /version and self reviews are allowed to every authenticated user, as the bootstrap policy has it', async () => {
  for (const path of ['/api', '/api/v1', '/apis', '/apis/apps/v1', '/version', '/healthz', '/openapi/v3']) {
    assert.is((await call(sim, 'GET', path, { token })).status, 200, path);
  }
  const review = await call(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    token,
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'get', resource: 'pods' } },
    },
  });
  assert.is(review.status, 201);
  const anonymous = await call(sim, 'GET', '/api', { token: null });
  assert.is(anonymous.json.message, 'forbidden: User "system:anonymous" cannot get path "/api"');
  assert.is((await call(sim, 'GET', '/version', { token: null })).status, 200);
});

test('kubectl shows the denial as the real server words it', async () => {
  const result = await kubectl(sim.kubeconfigPath, ['-n', 'rbac-fx', 'get', 'configmap', 'cm1', '--token', token]);
  assert.is(result.code, 1);
  assert.match(
    result.stderr,
    'Error from server (Forbidden): configmaps "cm1" is forbidden: User "system:serviceaccount:rbac-fx:nobody" cannot get resource "configmaps" in API group "" in the namespace "rbac-fx"',
  );
});

test('a token the simulator did not issue, or one of a deleted service account, is the recorded 401', async () => {
  const bad = await call(sim, 'GET', '/api/v1/namespaces/rbac-fx/configmaps', { token: 'not-a-token' });
  assert.is(bad.status, 401);
  assert.is(bad.text, recordedBytes('401_bad_token.json'));
  const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(43)}`;
  assert.is((await call(sim, 'GET', '/api', { token: forged })).status, 401);

  sim.seedYaml('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: doomed\n  namespace: rbac-fx\n');
  const doomed = sim.mintToken('rbac-fx', 'doomed');
  assert.is((await call(sim, 'GET', '/api', { token: doomed })).status, 200);
  assert.is((await call(sim, 'DELETE', '/api/v1/namespaces/rbac-fx/serviceaccounts/doomed')).status, 200);
  assert.is((await call(sim, 'GET', '/api', { token: doomed })).text, recordedBytes('401_bad_token.json'));
  // A new account of the same name is another account (another uid): the old token stays refused.
  sim.seedYaml('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: doomed\n  namespace: rbac-fx\n');
  assert.is((await call(sim, 'GET', '/api', { token: doomed })).status, 401);
  const whoami = await kubectl(sim.kubeconfigPath, ['auth', 'whoami', '--token', doomed]);
  assert.match(whoami.stderr, 'You must be logged in to the server (Unauthorized)');
});

test.run();
