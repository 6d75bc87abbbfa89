// templates/deploy, applied to a simulator that enforces RBAC, with kubesnap run as its pod would run it: no
// kubeconfig, the API server from KUBERNETES_SERVICE_HOST/PORT, the ServiceAccount's token (minted with
// `kubectl create token`, the TokenRequest API), ca.crt and namespace in a mounted folder, POD_NAME and
// POD_NAMESPACE from the downward API. Whatever the shipped RBAC does not grant is a 403, and any 403 fails.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KubeClient } from '../../lib/kube/index.ts';
import type { Simulator } from '../../lib/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { clientFor, eventually, startSeededSimulator } from '../helpers/cluster.ts';
import { kubectl, kubectlOk } from '../helpers/kubectl.ts';
import { podEnvironment } from '../helpers/pod.ts';
import { git, temporaryDirectory } from '../helpers/processes.ts';

const root = new URL('../../', import.meta.url).pathname;
const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));
const POD_NAME = 'kubesnap-5d8f7c9b4-q7x2m';
// Renewed every 1.3 s (2/15 of it), given up after 6.7 s without a renewal (2/3): room for the first sync's
// busy main thread on a loaded machine, where a 2 s lease was lost to event-loop pauses of 0.5 s, and a 5 s one
// at a load average of 19 on 2 cores.
const LEASE_SECONDS = 10;
/** What a refusal by the API server looks like in kubesnap's output, wherever it is reported. */
const refused = /forbidden|\b403\b|unreadable/i;

let sim: Simulator;
let admin: KubeClient;
let tmp: { path: string; remove(): void };
let pod: NodeJS.ProcessEnv;
let token: string;

/** The team namespace: Roles and RoleBindings only a restorer with escalate and bind may create. */
const teamObjects = `
apiVersion: v1
kind: Namespace
metadata: { name: team }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: team-lead }
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: deployer, namespace: team }
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: config-reader, namespace: team }
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list]
    resourceNames: [settings]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: deployers, namespace: team }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer }
subjects:
  - { kind: User, apiGroup: rbac.authorization.k8s.io, name: alice }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: leads, namespace: team }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: team-lead }
subjects:
  - { kind: Group, apiGroup: rbac.authorization.k8s.io, name: team-leads }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: team }
data: { level: "3" }
`;

test.before(async () => {
  sim = await startSeededSimulator();
  admin = await clientFor(sim);
  tmp = temporaryDirectory('kubesnap-rbac-e2e-');
  await kubectlOk(sim.kubeconfigPath, ['apply', '-k', `${root}templates/deploy`]);
  await kubectlOk(sim.kubeconfigPath, ['apply', '-f', '-'], teamObjects);
  token = (await kubectlOk(sim.kubeconfigPath, ['create', 'token', 'kubesnap', '-n', 'kubesnap'])).trim();
  assert.ok(token, 'kubectl create token answered a token');
  pod = { ...podEnvironment(sim, tmp.path, { token, namespace: 'kubesnap' }), POD_NAME, POD_NAMESPACE: 'kubesnap' };
});

test.after(async () => {
  admin?.close();
  await sim?.stop();
  tmp?.remove();
});

test("the token is the ServiceAccount's, held to the RBAC the templates ship (not cluster-admin)", async () => {
  const canI = async (...args: string[]) =>
    (await kubectl(sim.kubeconfigPath, ['--token', token, 'auth', 'can-i', ...args])).stdout.trim();
  assert.is(await canI('list', 'secrets', '-A'), 'yes');
  assert.is(await canI('patch', 'leases/kubesnap', '-n', 'kubesnap'), 'yes');
  assert.is(await canI('patch', 'leases/another', '-n', 'kubesnap'), 'no');
  assert.is(await canI('patch', 'leases/kubesnap', '-n', 'shop'), 'no');
  assert.is(await canI('delete', 'configmaps', '-n', 'shop'), 'no');
});

interface LeaseSpec {
  holderIdentity?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

async function leaseSpec(): Promise<LeaseSpec | undefined> {
  const lease = await admin
    .json('GET', '/apis/coordination.k8s.io/v1/namespaces/kubesnap/leases/kubesnap')
    .catch(() => undefined);
  return lease?.spec;
}

/** Calls `check` every 200 ms (well under a renewal period, so none is missed) until it answers true; fails after `timeoutMs`. */
async function poll(check: () => Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.unreachable(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function committedPaths(repo: string): Promise<string[]> {
  return (await git(repo, 'ls-tree', '-r', '--name-only', 'refs/heads/main').catch(() => ''))
    .split('\n')
    .filter(Boolean);
}

test("watch --leader-elect holds its Lease in the pod's namespace through 10 renewals while committing changes", async () => {
  const repo = join(tmp.path, 'watch');
  const child = spawn(
    process.execPath,
    [bin, '--repo', repo, 'watch', '--leader-elect', '--lease-duration', `${LEASE_SECONDS}s`, '--batch', '200ms'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...pod },
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    await eventually(() => /committed/.test(output), 30_000, `the first commit (watch said: ${output})`);
    const first = await leaseSpec();
    assert.match(first?.holderIdentity ?? '', new RegExp(`^${POD_NAME}_[0-9a-f]+$`), 'the holder names the pod');
    const renewals = new Set<string>();
    let changes = 0;
    await poll(
      async () => {
        const spec = await leaseSpec();
        assert.is(
          spec?.holderIdentity,
          first!.holderIdentity,
          `the lease stayed with its holder (watch said: ${output})`,
        );
        if (spec?.renewTime && spec.renewTime !== first!.renewTime) renewals.add(spec.renewTime);
        // A change every other renewal, committed while the lease is being renewed.
        if (renewals.size >= changes * 2 && changes < 5)
          await kubectlOk(sim.kubeconfigPath, [
            '-n',
            'shop',
            'create',
            'configmap',
            `during-lease-${++changes}`,
            '--from-literal=k=v',
          ]);
        return renewals.size >= 10;
      },
      5 * LEASE_SECONDS * 1000,
      () => `10 renewals (saw ${renewals.size}; watch said: ${output})`,
    );
    const expected = Array.from({ length: changes }, (_, i) => `shop/configmaps/during-lease-${i + 1}.yaml`);
    await eventually(
      async () => {
        const paths = await committedPaths(repo);
        return expected.every((path) => paths.includes(path));
      },
      10_000,
      `the changes committed (watch said: ${output})`,
    );
    const spec = await leaseSpec();
    assert.is(spec?.holderIdentity, first!.holderIdentity);
    assert.is(spec?.leaseTransitions, first!.leaseTransitions, 'no other holder in between');
    assert.is(child.exitCode, null, 'watch is still running');
  } finally {
    child.kill('SIGTERM');
  }
  assert.is(await exited, 0, output);
  assert.match(output, /released the lease/);
  assert.not.match(output, refused, output);
  assert.not.match(output, /lost the lease/);
  assert.not.ok((await leaseSpec())?.holderIdentity, 'the release (a patch too) went through');
});

/** path → blob id of every object a snapshot committed (the generated README aside). */
async function committedObjects(repo: string): Promise<Map<string, string>> {
  const tree = await git(repo, 'ls-tree', '-r', 'refs/heads/main');
  return new Map(
    tree
      .split('\n')
      .filter((line) => line && !line.endsWith('\tREADME.md'))
      .map((line) => {
        const [meta, path] = line.split('\t');
        return [path, meta.split(' ')[2]];
      }),
  );
}

test('snapshot under the ServiceAccount reads every kind it reads as admin, Secrets as digests', async () => {
  const asAdmin = await runCli([
    '--kubeconfig',
    sim.kubeconfigPath,
    '--repo',
    join(tmp.path, 'snapshot-admin'),
    'snapshot',
    '-o',
    'json',
  ]);
  assert.is(asAdmin.code, 0, asAdmin.stderr);
  const asPod = await runCli(['--repo', join(tmp.path, 'snapshot-pod'), 'snapshot', '-o', 'json'], { env: pod });
  assert.is(asPod.code, 0, asPod.stderr);
  assert.not.match(asPod.stderr, refused, asPod.stderr);
  assert.equal(JSON.parse(asPod.stdout).unreadable, [], 'nothing was refused to the ServiceAccount');
  const admins = await committedObjects(join(tmp.path, 'snapshot-admin'));
  const pods = await committedObjects(join(tmp.path, 'snapshot-pod'));
  assert.equal([...pods.keys()].sort(), [...admins.keys()].sort(), 'the same files');
  // Each repository keys its Secret digests with its own key, so only the other files can match byte for byte.
  const isSecret = (path: string) => path.includes('/secrets/');
  const withoutSecrets = (files: Map<string, string>) => new Map([...files].filter(([path]) => !isSecret(path)));
  assert.equal(withoutSecrets(pods), withoutSecrets(admins), 'with the same content');
  const secrets = [...pods.keys()].filter(isSecret);
  assert.ok(secrets.length > 0, 'Secrets are part of it');
  for (const path of secrets) {
    const text = await git(join(tmp.path, 'snapshot-pod'), 'show', `refs/heads/main:${path}`);
    assert.match(text, /hmac-sha256:[0-9a-f]{64}/, `${path} holds digests`);
  }
});

/** The team namespace's Roles and RoleBindings, as the API server has them, by what they mean. */
async function teamRbac(): Promise<unknown> {
  const roles = await admin.json('GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles');
  const bindings = await admin.json('GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings');
  return {
    roles: roles.items.map((role: any) => [role.metadata.name, role.rules]).sort(),
    bindings: bindings.items.map((binding: any) => [binding.metadata.name, binding.roleRef, binding.subjects]).sort(),
  };
}

test("restore under the restore ClusterRole brings back a namespace's Roles and RoleBindings, including ones granting more than it holds", async () => {
  const repo = join(tmp.path, 'snapshot-pod');
  const before = await teamRbac();
  // As the role's comment says: bound only while restoring.
  await kubectlOk(sim.kubeconfigPath, [
    'create',
    'clusterrolebinding',
    'kubesnap-restore',
    '--clusterrole',
    'kubesnap-restore',
    '--serviceaccount',
    'kubesnap:kubesnap',
  ]);
  try {
    await kubectlOk(sim.kubeconfigPath, ['-n', 'team', 'delete', 'rolebindings,roles,configmaps', '--all']);
    assert.equal(await teamRbac(), { roles: [], bindings: [] });
    const restore = await runCli(['--repo', repo, 'restore', '-n', 'team', '--yes'], { env: pod });
    assert.is(restore.code, 0, `${restore.stdout}${restore.stderr}`);
    assert.not.match(`${restore.stdout}${restore.stderr}`, refused);
  } finally {
    await kubectlOk(sim.kubeconfigPath, ['delete', 'clusterrolebinding', 'kubesnap-restore']);
  }
  assert.equal(await teamRbac(), before);
  const settings = await admin.json('GET', '/api/v1/namespaces/team/configmaps/settings');
  assert.equal(settings.data, { level: '3' });
});

test.run();
