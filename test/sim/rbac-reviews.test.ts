// Tokens and reviews: `kubectl create token` gets the recorded TokenRequest shape; SelfSubjectAccessReview and
// SelfSubjectRulesReview answer from the authorizer that decides requests, as recorded; `kubectl auth can-i`
// (with --list) and `kubectl auth whoami` work with a service account token; `kubesnap sim --token-for` mints one.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { kubectl, kubectlOk } from '../helpers/kubectl.ts';
import { call } from './http.ts';

const FIXTURES = new URL('../fixtures/apiserver/rbac/', import.meta.url);
const fixture = (name: string): any => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

let sim: Simulator;

const SEED = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: nobody, namespace: rbac-fx}
---
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
metadata: {name: lease-holder, namespace: rbac-fx}
rules: [{verbs: [get, create, update], apiGroups: [coordination.k8s.io], resources: [leases], resourceNames: [kubesnap]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: roler-leases, namespace: rbac-fx}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: lease-holder}
subjects: [{kind: ServiceAccount, name: roler}]
`;

test.before(async () => {
  sim = await startSimulator();
  sim.seedYaml(SEED);
});

test.after(async () => {
  await sim.stop();
});

test('kubectl create token: the recorded TokenRequest, its token authenticating as the service account', async () => {
  const response = JSON.parse(
    await kubectlOk(sim.kubeconfigPath, [
      '-n',
      'rbac-fx',
      'create',
      'token',
      'nobody',
      '--duration',
      '1h',
      '-o',
      'json',
      '--show-managed-fields',
    ]),
  );
  const recorded = fixture('token_request_response.json');
  assert.equal(Object.keys(response), Object.keys(recorded));
  assert.equal(Object.keys(response.metadata), Object.keys(recorded.metadata));
  assert.equal(
    { ...response.metadata.managedFields[0], time: undefined },
    { ...recorded.metadata.managedFields[0], time: undefined },
  );
  assert.equal(response.spec, recorded.spec);
  assert.equal(Object.keys(response.status), Object.keys(recorded.status));
  const lifetime = Date.parse(response.status.expirationTimestamp) - Date.parse(response.metadata.creationTimestamp);
  assert.is(lifetime, 3600_000);

  const token = response.status.token as string;
  assert.match(
    await kubectlOk(sim.kubeconfigPath, ['auth', 'whoami', '--token', token]),
    /Username\s+system:serviceaccount:rbac-fx:nobody\n.*\nGroups\s+\[system:serviceaccounts system:serviceaccounts:rbac-fx system:authenticated\]/,
  );
  const plain = (await kubectlOk(sim.kubeconfigPath, ['-n', 'rbac-fx', 'create', 'token', 'nobody'])).trim();
  assert.match(
    await kubectlOk(sim.kubeconfigPath, ['auth', 'whoami', '--token', plain]),
    'system:serviceaccount:rbac-fx:nobody',
  );

  const missing = await kubectl(sim.kubeconfigPath, ['-n', 'rbac-fx', 'create', 'token', 'ghost']);
  assert.match(missing.stderr, 'serviceaccounts "ghost" not found');
  const short = await kubectl(sim.kubeconfigPath, ['-n', 'rbac-fx', 'create', 'token', 'nobody', '--duration', '1m']);
  assert.match(short.stderr, 'may not specify a duration less than 10 minutes');
  const review = await call(sim, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
  });
  assert.is(review.json.status.authenticated, true);
  assert.is(review.json.status.user.username, 'system:serviceaccount:rbac-fx:nobody');
});

test('a SelfSubjectAccessReview the authorizer denies is the recorded answer', async () => {
  const token = sim.mintToken('rbac-fx', 'nobody');
  const recorded = fixture('selfsubjectaccessreview_denied.json');
  const response = await call(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    token,
    userAgent: 'curl/8.5.0',
    body: {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      spec: { resourceAttributes: { namespace: 'rbac-fx', verb: 'get', resource: 'configmaps' } },
    },
  });
  assert.is(response.status, 201);
  response.json.metadata.managedFields[0].time = recorded.metadata.managedFields[0].time;
  assert.is(JSON.stringify(response.json), JSON.stringify(recorded));
});

test('a SelfSubjectAccessReview the authorizer allows says which binding allows it', async () => {
  const token = sim.mintToken('rbac-fx', 'roler');
  const response = await call(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    token,
    body: {
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      spec: {
        resourceAttributes: {
          namespace: 'rbac-fx',
          verb: 'update',
          group: 'coordination.k8s.io',
          resource: 'leases',
          name: 'kubesnap',
        },
      },
    },
  });
  assert.equal(response.json.status, {
    allowed: true,
    reason:
      'RBAC: allowed by RoleBinding "roler-leases/rbac-fx" of Role "lease-holder" to ServiceAccount "roler/rbac-fx"',
  });
});

test('a SelfSubjectRulesReview lists the cluster-wide rules of the user as recorded, and a namespace adds its RoleBindings', async () => {
  const token = sim.mintToken('rbac-fx', 'roler');
  const body = { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', spec: {} };
  const response = await call(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { token, body });
  assert.is(JSON.stringify(response.json), JSON.stringify(fixture('selfsubjectrulesreview.json')));

  const inNamespace = await call(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
    token,
    body: { ...body, spec: { namespace: 'rbac-fx' } },
  });
  assert.equal(inNamespace.json.status.resourceRules.at(-1), {
    verbs: ['get', 'create', 'update'],
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    resourceNames: ['kubesnap'],
  });
});

test('kubectl auth can-i and can-i --list with a service account token answer from the bindings', async () => {
  const kc = sim.kubeconfigPath;
  const token = sim.mintToken('rbac-fx', 'roler');
  const canI = async (...args: string[]): Promise<string> =>
    (await kubectl(kc, ['auth', 'can-i', ...args, '--token', token])).stdout.trim();
  assert.is(await canI('create', 'roles', '-n', 'default'), 'yes');
  assert.is(await canI('delete', 'roles', '-n', 'default'), 'no');
  assert.is(await canI('update', 'leases/kubesnap', '-n', 'rbac-fx'), 'yes');
  assert.is(await canI('update', 'leases/other', '-n', 'rbac-fx'), 'no');
  assert.is(await canI('patch', 'leases/kubesnap', '-n', 'rbac-fx'), 'no');
  assert.is(await canI('get', '/api'), 'yes');
  assert.is(await canI('get', '/metrics'), 'no');
  const list = await kubectlOk(kc, ['auth', 'can-i', '--list', '-n', 'rbac-fx', '--token', token]);
  assert.match(list, /leases\.coordination\.k8s\.io\s+\[\]\s+\[kubesnap\]\s+\[get create update\]/);
  assert.match(list, /roles\.rbac\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create update get\]/);
  assert.not.match(list, /\*\.\*/);
  // The admin of the kubeconfig is still a cluster admin.
  assert.is((await kubectlOk(kc, ['auth', 'can-i', 'escalate', 'clusterroles'])).trim(), 'yes');
  assert.match(await kubectlOk(kc, ['auth', 'can-i', '--list']), /\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
});

test('kubesnap sim --token-for NAMESPACE/NAME prints a token of a seeded service account', async () => {
  const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));
  const seed = fileURLToPath(new URL('../fixtures/cluster/', import.meta.url));
  const child = spawn(process.execPath, [bin, 'sim', '--seed', seed, '--token-for', 'shop/default'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kubesnap sim did not start: ${stdout}`)), 30_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('Press Ctrl-C')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const token = /^token of service account shop\/default: (\S+)$/m.exec(stdout)?.[1];
    assert.ok(token, stdout);
    const kubeconfig = /^kubeconfig: (\S+)$/m.exec(stdout)![1];
    assert.match(
      await kubectlOk(kubeconfig, ['auth', 'whoami', '--token', token!]),
      'system:serviceaccount:shop:default',
    );
  } finally {
    child.kill('SIGTERM');
  }
  assert.is(await exited, 0);

  const missing = await runCli(['sim', '--seed', seed, '--token-for', 'shop/ghost']);
  assert.is(missing.code, 2);
  assert.is(
    missing.stderr,
    'error: --token-for shop/ghost: there is no such service account; seed one (kind: ServiceAccount).\n',
  );
  const malformed = await runCli(['sim', '--token-for', 'ghost']);
  assert.is(malformed.code, 2);
  assert.match(malformed.stderr, 'must be NAMESPACE/NAME of a service account');
});

test.run();
