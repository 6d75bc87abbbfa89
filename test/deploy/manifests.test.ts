import { readFileSync } from 'node:fs';
import { load, loadAll } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { run } from '../helpers/processes.ts';
import { kubectl } from '../helpers/kubectl.ts';

const root = new URL('../../', import.meta.url).pathname;
const readOnlyVerbs = ['get', 'list', 'watch'];
type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [key: string]: any;
};

let sim: Simulator;
let base: string;
let monitoring: string;
let manifests: Manifest[];

async function kustomize(dir: string): Promise<string> {
  const result = await run('/usr/bin/kubectl', ['kustomize', `${root}${dir}`]);
  assert.is(result.code, 0, result.stderr);
  return result.stdout;
}

function find(kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  assert.ok(found, `${kind}/${name} is rendered`);
  return found!;
}

const monitoringCrds = ['servicemonitors', 'prometheusrules'].map((plural) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.monitoring.coreos.com` },
  spec: {
    group: 'monitoring.coreos.com',
    scope: 'Namespaced',
    names: {
      plural,
      singular: plural.replace(/s$/, ''),
      kind: plural === 'servicemonitors' ? 'ServiceMonitor' : 'PrometheusRule',
      listKind: plural === 'servicemonitors' ? 'ServiceMonitorList' : 'PrometheusRuleList',
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
}));

test.before(async () => {
  sim = await startSimulator();
  base = await kustomize('templates/deploy');
  monitoring = await kustomize('templates/deploy/monitoring');
  manifests = [...loadAll(base), ...loadAll(monitoring)] as Manifest[];
});
test.after(() => sim.stop());

test('the base applies to a cluster (server-side dry run) once its namespace exists; monitoring once its CRDs exist', async () => {
  // A server dry run creates nothing, so the namespaced objects need the Namespace to exist for real.
  let result = await kubectl(sim.kubeconfigPath, ['apply', '-f', '-'], JSON.stringify(find('Namespace', 'kubesnap')));
  assert.is(result.code, 0, result.stderr);
  result = await kubectl(sim.kubeconfigPath, ['apply', '--dry-run=server', '-f', '-'], base);
  assert.is(result.code, 0, result.stderr);
  for (const kind of [
    'deployment.apps/kubesnap',
    'networkpolicy.networking.k8s.io/kubesnap',
    'clusterrole.rbac.authorization.k8s.io/kubesnap-read',
    'role.rbac.authorization.k8s.io/kubesnap-leader-election',
    'service/kubesnap-metrics',
  ]) {
    assert.match(result.stdout, `${kind} created (server dry run)`);
  }
  const secret = readFileSync(`${root}templates/deploy/git-token.secret.yaml`, 'utf8');
  result = await kubectl(sim.kubeconfigPath, ['apply', '--dry-run=server', '-f', '-'], secret);
  assert.is(result.code, 0, result.stderr);

  result = await kubectl(sim.kubeconfigPath, ['apply', '--dry-run=server', '-f', '-'], monitoring);
  assert.is.not(result.code, 0, 'without the CRDs the monitoring objects are refused');
  result = await kubectl(
    sim.kubeconfigPath,
    ['apply', '-f', '-'],
    monitoringCrds.map((crd) => JSON.stringify(crd)).join('\n'),
  );
  assert.is(result.code, 0, result.stderr);
  result = await kubectl(sim.kubeconfigPath, [
    'wait',
    '--for=condition=Established',
    'crd/servicemonitors.monitoring.coreos.com',
    'crd/prometheusrules.monitoring.coreos.com',
    '--timeout=20s',
  ]);
  assert.is(result.code, 0, result.stderr);
  result = await kubectl(sim.kubeconfigPath, ['apply', '--dry-run=server', '-f', '-'], monitoring);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, 'prometheusrule.monitoring.coreos.com/kubesnap created (server dry run)');
});

test('the dry run is a real check: a version the server does not serve is refused', async () => {
  const broken = base.replace('apiVersion: apps/v1', 'apiVersion: apps/v9');
  assert.is.not(broken, base);
  const result = await kubectl(sim.kubeconfigPath, ['apply', '--dry-run=server', '-f', '-'], broken);
  assert.is.not(result.code, 0, 'an unserved version was accepted');
});

test('RBAC: the bound ClusterRole only reads; leader election is a namespaced Role on leases; the restore role is bound to nothing', () => {
  const read = find('ClusterRole', 'kubesnap-read');
  for (const rule of read.rules) assert.equal([...rule.verbs].sort(), [...readOnlyVerbs].sort());
  const binding = find('ClusterRoleBinding', 'kubesnap-read');
  assert.is(binding.roleRef.name, 'kubesnap-read');
  assert.equal(binding.subjects, [{ kind: 'ServiceAccount', name: 'kubesnap', namespace: 'kubesnap' }]);
  const lease = find('Role', 'kubesnap-leader-election');
  assert.is(lease.metadata.namespace, 'kubesnap');
  // lib/leader reads the Lease, creates it, and renews/takes over/releases it with a guarded JSON patch: the
  // Lease named kubesnap (the default --lease-name) only, but for create, which RBAC cannot limit to a name.
  assert.equal(lease.rules, [
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['kubesnap'], verbs: ['get', 'patch'] },
  ]);
  assert.is(find('RoleBinding', 'kubesnap-leader-election').roleRef.name, 'kubesnap-leader-election');
  const restore = find('ClusterRole', 'kubesnap-restore');
  assert.ok(restore.rules.some((rule: any) => rule.verbs.includes('create') && rule.verbs.includes('delete')));
  // RBAC objects can be restored only with escalate (a role granting more than the restorer holds) and bind.
  assert.ok(
    restore.rules.some(
      (rule: any) =>
        rule.apiGroups.includes('rbac.authorization.k8s.io') &&
        ['roles', 'clusterroles'].every((r) => rule.resources.includes(r)) &&
        ['escalate', 'bind'].every((v) => rule.verbs.includes(v)),
    ),
  );
  const bindings = manifests.filter((m) => m.kind === 'ClusterRoleBinding' || m.kind === 'RoleBinding');
  assert.ok(
    bindings.every((b) => b.roleRef.name !== 'kubesnap-restore'),
    'the restore role is not bound',
  );
  for (const role of manifests.filter((m) => m.kind === 'ClusterRole' && m.metadata.name !== 'kubesnap-restore')) {
    for (const rule of role.rules)
      assert.ok(
        rule.verbs.every((verb: string) => readOnlyVerbs.includes(verb)),
        `${role.metadata.name} writes`,
      );
  }
});

test('the Deployment runs watch hardened: non-root, read-only root, no privilege escalation, no capabilities, RuntimeDefault seccomp, probes, limits', () => {
  const deployment = find('Deployment', 'kubesnap');
  const pod = deployment.spec.template.spec;
  assert.is(pod.serviceAccountName, 'kubesnap');
  assert.is(pod.securityContext.runAsNonRoot, true);
  assert.ok(Number.isInteger(pod.securityContext.runAsUser) && pod.securityContext.runAsUser > 0);
  assert.is(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
  const [container] = pod.containers;
  assert.equal(container.args, [
    'watch',
    '--listen',
    ':9090',
    '--repo',
    '/data/repo',
    '--remote',
    '$(GIT_REMOTE_URL)',
    '--leader-elect',
  ]);
  assert.is(container.securityContext.allowPrivilegeEscalation, false);
  assert.is(container.securityContext.readOnlyRootFilesystem, true);
  assert.equal(container.securityContext.capabilities.drop, ['ALL']);
  assert.is(container.livenessProbe.httpGet.path, '/healthz');
  assert.is(container.readinessProbe.httpGet.path, '/readyz');
  assert.ok(
    container.resources.requests.cpu && container.resources.requests.memory && container.resources.limits.memory,
  );
  const token = container.env.find((e: any) => e.name === 'KUBESNAP_GIT_TOKEN');
  assert.equal(token.valueFrom.secretKeyRef.name, 'kubesnap-git');
  assert.not.match(JSON.stringify(container.args), /TOKEN/);
  const remote = container.env.find((e: any) => e.name === 'GIT_REMOTE_URL');
  assert.is(remote.valueFrom.configMapKeyRef.name, 'kubesnap');
  const mounts = Object.fromEntries(container.volumeMounts.map((m: any) => [m.mountPath, m.name]));
  assert.ok(mounts['/data'] && mounts['/tmp']);
  for (const volume of pod.volumes.filter((v: any) => v.name !== 'digest-key'))
    assert.ok(volume.emptyDir, `${volume.name} is an emptyDir`);
  // The digest key outlives the pod (a Secret the user creates), read as KUBESNAP_DIGEST_KEY_FILE.
  assert.equal(pod.volumes.find((v: any) => v.name === 'digest-key').secret.secretName, 'kubesnap-digest-key');
  assert.is(
    container.env.find((e: any) => e.name === 'KUBESNAP_DIGEST_KEY_FILE').value,
    '/etc/kubesnap/digest-key/key',
  );
  assert.is(mounts['/etc/kubesnap/digest-key'], 'digest-key');
});

test('the NetworkPolicy allows DNS, the API server and Git remote ports out, and only the metrics port in', () => {
  const policy = find('NetworkPolicy', 'kubesnap');
  assert.equal(policy.spec.policyTypes, ['Ingress', 'Egress']);
  const egressPorts = policy.spec.egress
    .flatMap((rule: any) => rule.ports.map((p: any) => `${p.protocol}/${p.port}`))
    .sort();
  assert.equal(egressPorts, ['TCP/22', 'TCP/443', 'TCP/53', 'TCP/6443', 'UDP/53']);
  assert.equal(policy.spec.ingress, [{ ports: [{ protocol: 'TCP', port: 9090 }] }]);
});

test('alerts use the metric names kubesnap exports; the chart carries the same alerts', () => {
  const rule = find('PrometheusRule', 'kubesnap');
  const expressions = rule.spec.groups.flatMap((group: any) => group.rules.map((r: any) => r.expr)).join('\n');
  const metricsSource =
    readFileSync(`${root}lib/metrics/index.ts`, 'utf8') + readFileSync(`${root}lib/metrics/status-server.ts`, 'utf8');
  const used = new Set(expressions.match(/kubesnap_[a-z_]+/g));
  for (const name of [
    'kubesnap_pending_changes',
    'kubesnap_last_commit_timestamp_seconds',
    'kubesnap_watch_restarts_total',
    'kubesnap_watch_relists_total',
    'kubesnap_errors_total',
    'kubesnap_push_failures_total',
    'kubesnap_remote_behind_seconds',
    'kubesnap_ready',
    'kubesnap_commit_failures_total',
    'kubesnap_backpressure_seconds_total',
  ]) {
    assert.ok(used.has(name), `an alert uses ${name}`);
  }
  for (const name of [
    'kubesnap_pending_changes',
    'kubesnap_last_commit_timestamp_seconds',
    'kubesnap_watch_restarts_total',
    'kubesnap_watch_relists_total',
    'kubesnap_errors_total',
    'kubesnap_ready',
    'kubesnap_commit_failures_total',
    'kubesnap_backpressure_seconds_total',
  ]) {
    assert.ok(metricsSource.includes(`'${name}'`), `${name} is declared in lib/metrics`);
  }
  // A part that is not ready is named: the alert keeps the source label.
  const notReady = rule.spec.groups
    .flatMap((group: any) => group.rules)
    .find((r: any) => /kubesnap_ready\b/.test(r.expr));
  assert.match(notReady.expr, /^kubesnap_ready == 0$/);
  assert.match(notReady.annotations.summary, '{{ $labels.source }}');
  const chartRules = load(readFileSync(`${root}templates/chart/files/prometheus-rules.yaml`, 'utf8'));
  assert.equal(chartRules, rule.spec);
});

test.run();
