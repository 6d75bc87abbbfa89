// Impersonation (`kubectl --as`, `--as-group`): a request acts as the named user once the requester may
// `impersonate` it, so bindings to User and Group subjects can be exercised with the real kubectl.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { kubectl, kubectlOk } from '../helpers/kubectl.ts';

let sim: Simulator;
let kc: string;

test.before(async () => {
  sim = await startSimulator();
  kc = sim.kubeconfigPath;
  sim.seedYaml(`
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: team-a}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: alice-views, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs-edit, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: devs}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: helper, namespace: team-a}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: impersonate-alice}
rules: [{apiGroups: [""], resources: [users], resourceNames: [alice], verbs: [impersonate]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: helper-impersonates-alice}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonate-alice}
subjects: [{kind: ServiceAccount, name: helper, namespace: team-a}]
`);
});

test.after(async () => {
  await sim.stop();
});

test('the admin acts as a User or a Group and gets what their bindings grant', async () => {
  assert.match(
    await kubectlOk(kc, ['-n', 'team-a', 'get', 'configmap', 'settings', '-o', 'name', '--as', 'alice']),
    'configmap/settings',
  );
  const aliceWrites = await kubectl(kc, ['-n', 'team-a', 'delete', 'configmap', 'settings', '--as', 'alice']);
  assert.match(
    aliceWrites.stderr,
    'User "alice" cannot delete resource "configmaps" in API group "" in the namespace "team-a"',
  );
  assert.is((await kubectl(kc, ['-n', 'team-b', 'get', 'configmaps', '--as', 'alice'])).code, 1);
  assert.is(
    (
      await kubectlOk(kc, [
        'auth',
        'can-i',
        'delete',
        'configmaps',
        '-n',
        'team-a',
        '--as',
        'bob',
        '--as-group',
        'devs',
      ])
    ).trim(),
    'yes',
  );
  assert.match(
    await kubectlOk(kc, ['auth', 'whoami', '--as', 'bob', '--as-group', 'devs']),
    /Groups\s+\[devs system:authenticated\]/,
  );
  assert.match(
    await kubectlOk(kc, ['auth', 'whoami', '--as', 'system:serviceaccount:team-a:helper']),
    /Groups\s+\[system:serviceaccounts system:serviceaccounts:team-a system:authenticated\]/,
  );
});

test('a service account may impersonate only whom `impersonate` names', async () => {
  const token = sim.mintToken('team-a', 'helper');
  const as = (...args: string[]) =>
    kubectl(kc, ['-n', 'team-a', 'get', 'configmap', 'settings', '-o', 'name', '--token', token, ...args]);
  assert.is((await as('--as', 'alice')).code, 0);
  assert.match(
    (await as('--as', 'bob')).stderr,
    'users "bob" is forbidden: User "system:serviceaccount:team-a:helper" cannot impersonate resource "users" in API group "" at the cluster scope',
  );
  assert.match(
    (await as('--as', 'alice', '--as-group', 'devs')).stderr,
    'groups "devs" is forbidden: User "system:serviceaccount:team-a:helper" cannot impersonate resource "groups" in API group ""',
  );
  assert.match((await as()).stderr, 'User "system:serviceaccount:team-a:helper" cannot get resource "configmaps"');
});

test.run();
