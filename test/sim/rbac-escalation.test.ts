// RBAC's privilege-escalation rule: a service account may write a Role only with rules it holds, unless it may
// `escalate`; a binding only of a role whose every rule it holds, unless it may `bind` that role. The refusal is
// the recorded one byte for byte (test/fixtures/apiserver/rbac/403_role_escalation.json).
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { call } from './http.ts';

const FIXTURES = new URL('../fixtures/apiserver/rbac/', import.meta.url);
const recordedBytes = (name: string): string =>
  `${JSON.stringify(JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')))}\n`;
const RBAC = '/apis/rbac.authorization.k8s.io/v1';

let sim: Simulator;

// As recorded: `roler` may create, update and get Roles (its SelfSubjectRulesReview), and nothing more.
const SEED = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: roler, namespace: rbac-fx}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: role-writer}
rules: [{verbs: [create, update, get], apiGroups: [rbac.authorization.k8s.io], resources: [roles]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: roler}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: role-writer}
subjects: [{kind: ServiceAccount, name: roler, namespace: rbac-fx}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: rbac-fx}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
`;

function role(name: string, rules: unknown[]): Record<string, unknown> {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name }, rules };
}

function roleBinding(name: string, roleRef: { kind: string; name: string }, subject: string): Record<string, unknown> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects: [{ kind: 'ServiceAccount', name: subject, namespace: 'rbac-fx' }],
  };
}

/** Seeds RBAC objects as the admin; returns a token of service account NAME in rbac-fx, created first. */
function accountWith(name: string, yaml = ''): string {
  sim.seedYaml(
    `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}, namespace: rbac-fx}\n${yaml ? `---\n${yaml}` : ''}`,
  );
  return sim.mintToken('rbac-fx', name);
}

test.before(async () => {
  sim = await startSimulator();
  sim.seedYaml(SEED);
});

test.after(async () => {
  await sim.stop();
});

test('a Role granting more than its creator holds is the recorded escalation refusal, byte for byte', async () => {
  const token = sim.mintToken('rbac-fx', 'roler');
  const refused = await call(sim, 'POST', `${RBAC}/namespaces/rbac-fx/roles`, {
    token,
    body: role('wider', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]),
  });
  assert.is(refused.status, 403);
  assert.is(refused.text, recordedBytes('403_role_escalation.json'));
  assert.is(sim.get('rbac.authorization.k8s.io', 'roles', 'rbac-fx', 'wider'), undefined);

  const held = await call(sim, 'POST', `${RBAC}/namespaces/rbac-fx/roles`, {
    token,
    body: role('narrow', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get'] }]),
  });
  assert.is(held.status, 201);
});

test('an update or patch that widens a Role is refused too, missing verbs on one resource merged into one rule', async () => {
  const token = sim.mintToken('rbac-fx', 'roler');
  const current = (await call(sim, 'GET', `${RBAC}/namespaces/rbac-fx/roles/narrow`, { token })).json;
  const widened = {
    ...current,
    rules: [...current.rules, { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
  };
  const put = await call(sim, 'PUT', `${RBAC}/namespaces/rbac-fx/roles/narrow`, { token, body: widened });
  assert.is(put.status, 403);
  assert.match(
    put.json.message,
    /is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["get" "list"\]\}$/,
  );
  const dryRun = await call(sim, 'PUT', `${RBAC}/namespaces/rbac-fx/roles/narrow?dryRun=All`, { token, body: widened });
  assert.is(dryRun.status, 403, 'a dry run is checked the same');
  // roler may not patch Roles at all; with kubectl replace (a PUT) it gets the escalation refusal.
  const kubectlPatch = await kubectl(sim.kubeconfigPath, [
    '-n',
    'rbac-fx',
    'patch',
    'role',
    'narrow',
    '--type',
    'json',
    '-p',
    '[{"op":"add","path":"/rules/-","value":{"apiGroups":["apps"],"resources":["*"],"verbs":["*"]}}]',
    '--token',
    token,
  ]);
  assert.match(
    kubectlPatch.stderr,
    'cannot patch resource "roles" in API group "rbac.authorization.k8s.io" in the namespace "rbac-fx"',
  );
  const replaced = { ...current, rules: [...current.rules, { apiGroups: ['apps'], resources: ['*'], verbs: ['*'] }] };
  const kubectlReplace = await kubectl(
    sim.kubeconfigPath,
    ['replace', '-f', '-', '--token', token],
    JSON.stringify(replaced),
  );
  assert.is(kubectlReplace.code, 1);
  assert.match(
    kubectlReplace.stderr,
    'roles.rbac.authorization.k8s.io "narrow" is forbidden: user "system:serviceaccount:rbac-fx:roler"',
  );
  assert.match(kubectlReplace.stderr, '{APIGroups:["apps"], Resources:["*"], Verbs:["*"]}');
});

test('`escalate` on roles lets a writer grant what it does not hold', async () => {
  const token = accountWith(
    'escalator',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: escalator, namespace: rbac-fx}
rules: [{verbs: [create, escalate], apiGroups: [rbac.authorization.k8s.io], resources: [roles]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: escalator, namespace: rbac-fx}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: escalator}
subjects: [{kind: ServiceAccount, name: escalator}]
`,
  );
  const created = await call(sim, 'POST', `${RBAC}/namespaces/rbac-fx/roles`, {
    token,
    body: role('anything', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
  });
  assert.is(created.status, 201);
});

test('a binding needs every permission of its role, or `bind` on that role', async () => {
  const binderRules = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: BINDER, namespace: rbac-fx}
rules:
  - {verbs: [create], apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings]}
  - {verbs: [get], apiGroups: [""], resources: [secrets]}
EXTRA
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: BINDER, namespace: rbac-fx}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: BINDER}
subjects: [{kind: ServiceAccount, name: BINDER}]
`;
  const plain = accountWith('binder', binderRules.replaceAll('BINDER', 'binder').replace('EXTRA', ''));
  const refused = await call(sim, 'POST', `${RBAC}/namespaces/rbac-fx/rolebindings`, {
    token: plain,
    body: roleBinding('read-secrets', { kind: 'Role', name: 'secret-reader' }, 'binder'),
  });
  assert.is(refused.status, 403);
  assert.equal(refused.json.details, {
    name: 'read-secrets',
    group: 'rbac.authorization.k8s.io',
    kind: 'rolebindings',
  });
  assert.is(
    refused.json.message,
    'rolebindings.rbac.authorization.k8s.io "read-secrets" is forbidden: user "system:serviceaccount:rbac-fx:binder" (groups=["system:serviceaccounts" "system:serviceaccounts:rbac-fx" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["list"]}',
  );
  const missingRole = await call(sim, 'POST', `${RBAC}/namespaces/rbac-fx/rolebindings`, {
    token: plain,
    body: roleBinding('dangling', { kind: 'Role', name: 'nope' }, 'binder'),
  });
  assert.is(missingRole.status, 404);

  const bindOne =
    '  - {verbs: [bind], apiGroups: [rbac.authorization.k8s.io], resources: [roles], resourceNames: [secret-reader]}';
  const binder = accountWith('bind-one', binderRules.replaceAll('BINDER', 'bind-one').replace('EXTRA', bindOne));
  assert.is(
    (
      await call(sim, 'POST', `${RBAC}/namespaces/rbac-fx/rolebindings`, {
        token: binder,
        body: roleBinding('read-secrets', { kind: 'Role', name: 'secret-reader' }, 'binder'),
      })
    ).status,
    201,
  );
  const otherRole = await call(sim, 'POST', `${RBAC}/namespaces/rbac-fx/rolebindings`, {
    token: binder,
    body: roleBinding('admin', { kind: 'ClusterRole', name: 'admin' }, 'binder'),
  });
  assert.is(otherRole.status, 403, '`bind` names one role');

  // Holding every rule of the role is enough without `bind`: the plain binder now reads Secrets through read-secrets.
  assert.is(
    (
      await call(sim, 'POST', `${RBAC}/namespaces/rbac-fx/rolebindings`, {
        token: plain,
        body: roleBinding('again', { kind: 'Role', name: 'secret-reader' }, 'binder'),
      })
    ).status,
    201,
  );
});

test('a writer with a binding of a missing role hears of it in the refusal', async () => {
  const token = accountWith(
    'half-bound',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: half-bound, namespace: rbac-fx}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: role-writer}
subjects: [{kind: ServiceAccount, name: half-bound}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: half-bound-gone, namespace: rbac-fx}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gone}
subjects: [{kind: ServiceAccount, name: half-bound}]
`,
  );
  const refused = await call(sim, 'POST', `${RBAC}/namespaces/rbac-fx/roles`, {
    token,
    body: role('wide', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
  });
  assert.is(refused.status, 403);
  assert.ok(
    refused.json.message.endsWith(
      '{APIGroups:[""], Resources:["pods"], Verbs:["get"]}; resolution errors: [role.rbac.authorization.k8s.io "gone" not found]',
    ),
    refused.json.message,
  );
});

test('an aggregationRule takes cluster-admin, whatever the rules', async () => {
  const token = accountWith(
    'aggregator',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: aggregator}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: role-writer-cluster}
subjects: [{kind: ServiceAccount, name: aggregator, namespace: rbac-fx}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: role-writer-cluster}
rules: [{verbs: [create], apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles]}]
`,
  );
  const body = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'gathering' },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] },
    rules: [],
  };
  const refused = await call(sim, 'POST', `${RBAC}/clusterroles`, { token, body });
  assert.is(refused.status, 403);
  assert.is(
    refused.json.message,
    'clusterroles.rbac.authorization.k8s.io "gathering" is forbidden: must have cluster-admin privileges to use the aggregationRule',
  );
  assert.is((await call(sim, 'POST', `${RBAC}/clusterroles`, { body })).status, 201, 'the admin may');
});

test.run();
