// What the cluster's own RBAC objects grant a service account token: exactly the verbs, resources,
// subresources, resourceNames, API groups and namespaces they name, through Roles and ClusterRoles, RoleBindings
// and ClusterRoleBindings, wildcards, subjects of kind ServiceAccount, User and Group, and aggregated ClusterRoles.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { eventually } from '../helpers/cluster.ts';
import { kubectl, kubectlOk } from '../helpers/kubectl.ts';
import { call } from './http.ts';

let sim: Simulator;

const SEED = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: team-a}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: team-a}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other, namespace: team-a}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: team-b}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: team-a}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
`;

/** Applies RBAC objects as the admin and returns a fresh token of a new service account NAME in team-a. */
async function accountWith(name: string, yaml: string): Promise<string> {
  sim.seedYaml(`apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}, namespace: team-a}\n---\n${yaml}`);
  return sim.mintToken('team-a', name);
}

async function status(token: string, method: string, path: string, body?: unknown): Promise<number> {
  const contentType = method === 'PATCH' ? 'application/merge-patch+json' : undefined;
  return (await call(sim, method, path, { token, body, contentType })).status;
}

test.before(async () => {
  sim = await startSimulator();
  sim.seedYaml(SEED);
});

test.after(async () => {
  await sim.stop();
});

test('a Role and RoleBinding grant their verbs on their resources in their namespace, nothing else', async () => {
  const token = await accountWith(
    'reader',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cm-reader, namespace: team-a}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm-reader}
subjects: [{kind: ServiceAccount, name: reader}]
`,
  );
  assert.is(await status(token, 'GET', '/api/v1/namespaces/team-a/configmaps/settings'), 200);
  assert.is(await status(token, 'GET', '/api/v1/namespaces/team-a/configmaps'), 200);
  assert.is(await status(token, 'GET', '/api/v1/namespaces/team-a/configmaps?watch=1&timeoutSeconds=1'), 200);
  assert.is(await status(token, 'GET', '/api/v1/namespaces/team-b/configmaps/settings'), 403, 'another namespace');
  assert.is(await status(token, 'GET', '/api/v1/configmaps'), 403, 'all namespaces');
  assert.is(await status(token, 'GET', '/api/v1/namespaces/team-a/secrets'), 403, 'another resource');
  assert.is(
    await status(token, 'PATCH', '/api/v1/namespaces/team-a/configmaps/settings', { data: { a: '1' } }),
    403,
    'another verb',
  );
  assert.is(await status(token, 'DELETE', '/api/v1/namespaces/team-a/configmaps'), 403, 'deletecollection');
  assert.is(await status(token, 'GET', '/apis/apps/v1/namespaces/team-a/deployments'), 403, 'another group');
});

test('resourceNames allow only requests that name the object: not a list, not a create', async () => {
  const token = await accountWith(
    'named',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: one-cm, namespace: team-a}
rules: [{apiGroups: [""], resources: [configmaps], resourceNames: [settings], verbs: [get, update, patch, list, create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: named, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: one-cm}
subjects: [{kind: ServiceAccount, name: named, namespace: team-a}]
`,
  );
  assert.is(await status(token, 'GET', '/api/v1/namespaces/team-a/configmaps/settings'), 200);
  assert.is(await status(token, 'PATCH', '/api/v1/namespaces/team-a/configmaps/settings', { data: { a: '1' } }), 200);
  assert.is(await status(token, 'GET', '/api/v1/namespaces/team-a/configmaps/other'), 403);
  assert.is(await status(token, 'GET', '/api/v1/namespaces/team-a/configmaps'), 403);
  // A list narrowed to the name (kubectl get NAME --watch) is a request for that name.
  assert.is(
    await status(token, 'GET', '/api/v1/namespaces/team-a/configmaps?fieldSelector=metadata.name%3Dsettings'),
    200,
  );
  assert.is(
    await status(token, 'POST', '/api/v1/namespaces/team-a/configmaps', { metadata: { name: 'settings2' } }),
    403,
  );
});

test('subresources: deployments/scale is not deployments, and */scale is every scale', async () => {
  const scaler = await accountWith(
    'scaler',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: scaler, namespace: team-a}
rules: [{apiGroups: [apps], resources: [deployments/scale], verbs: [get, patch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: scaler, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: scaler}
subjects: [{kind: ServiceAccount, name: scaler}]
`,
  );
  assert.is(await status(scaler, 'GET', '/apis/apps/v1/namespaces/team-a/deployments/web/scale'), 200);
  assert.is(
    await status(scaler, 'PATCH', '/apis/apps/v1/namespaces/team-a/deployments/web/scale', { spec: { replicas: 2 } }),
    200,
  );
  assert.is(await status(scaler, 'GET', '/apis/apps/v1/namespaces/team-a/deployments/web'), 403);
  assert.is(await status(scaler, 'GET', '/apis/apps/v1/namespaces/team-a/deployments/web/status'), 403);

  const anyScale = await accountWith(
    'any-scale',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: any-scale, namespace: team-a}
rules: [{apiGroups: ["*"], resources: ["*/scale", "pods/log"], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: any-scale, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: any-scale}
subjects: [{kind: ServiceAccount, name: any-scale}]
`,
  );
  assert.is(await status(anyScale, 'GET', '/apis/apps/v1/namespaces/team-a/deployments/web/scale'), 200);
  assert.is(await status(anyScale, 'GET', '/apis/apps/v1/namespaces/team-a/deployments/web'), 403);
  // Authorised, then not served by the simulator: 404, not 403.
  assert.is(await status(anyScale, 'GET', '/api/v1/namespaces/team-a/pods/p/log'), 404);
  assert.is(await status(anyScale, 'GET', '/api/v1/namespaces/team-a/pods/p'), 403);
});

test('a ClusterRoleBinding grants everywhere (and at the cluster scope); a RoleBinding of a ClusterRole only in its namespace', async () => {
  const clusterWide = await accountWith(
    'cluster-reader',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: read-everything}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: cluster-reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: read-everything}
subjects: [{kind: ServiceAccount, name: cluster-reader, namespace: team-a}]
`,
  );
  assert.is(await status(clusterWide, 'GET', '/api/v1/secrets'), 200);
  assert.is(await status(clusterWide, 'GET', '/api/v1/namespaces/team-b/configmaps/settings'), 200);
  assert.is(await status(clusterWide, 'GET', '/api/v1/namespaces'), 200);
  assert.is(
    await status(clusterWide, 'GET', '/apis/apps/v1/namespaces/team-a/deployments/web/scale'),
    200,
    '* covers subresources',
  );
  assert.is(await status(clusterWide, 'DELETE', '/api/v1/namespaces/team-b/configmaps/settings'), 403);

  const local = await accountWith(
    'local-reader',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: local-reader, namespace: team-b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: read-everything}
subjects: [{kind: ServiceAccount, name: local-reader, namespace: team-a}]
`,
  );
  assert.is(await status(local, 'GET', '/api/v1/namespaces/team-b/configmaps'), 200);
  assert.is(await status(local, 'GET', '/api/v1/namespaces/team-a/configmaps'), 403);
  assert.is(await status(local, 'GET', '/api/v1/configmaps'), 403);
});

test('Group and User subjects: system:serviceaccounts:NS, and the service account by its user name', async () => {
  const group = await accountWith(
    'grouped',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: lease-writer}
rules: [{apiGroups: [coordination.k8s.io], resources: [leases], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: all-of-team-a, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: lease-writer}
subjects: [{kind: Group, apiGroup: rbac.authorization.k8s.io, name: "system:serviceaccounts:team-a"}]
`,
  );
  const lease = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'l' },
    spec: { holderIdentity: 'me' },
  };
  assert.is(await status(group, 'POST', '/apis/coordination.k8s.io/v1/namespaces/team-a/leases', lease), 201);
  assert.is(
    await status(group, 'PATCH', '/apis/coordination.k8s.io/v1/namespaces/team-a/leases/l', {
      spec: { holderIdentity: 'you' },
    }),
    200,
  );
  assert.is(
    await status(group, 'DELETE', '/apis/coordination.k8s.io/v1/namespaces/team-a/leases'),
    200,
    'deletecollection is in *',
  );
  assert.is(await status(group, 'GET', '/apis/coordination.k8s.io/v1/namespaces/team-b/leases'), 403);

  const user = await accountWith(
    'by-user-name',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: by-user-name, namespace: team-b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: lease-writer}
subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: "system:serviceaccount:team-a:by-user-name"}]
`,
  );
  assert.is(await status(user, 'GET', '/apis/coordination.k8s.io/v1/namespaces/team-b/leases'), 200);
});

test('a binding of a role that does not exist grants nothing and says so in the denial', async () => {
  const token = await accountWith(
    'dangling',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dangling, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: missing}
subjects: [{kind: ServiceAccount, name: dangling}]
`,
  );
  const denied = await call(sim, 'GET', '/api/v1/namespaces/team-a/pods', { token });
  assert.is(
    denied.json.message,
    'pods is forbidden: User "system:serviceaccount:team-a:dangling" cannot list resource "pods" in API group "" in the namespace "team-a": RBAC: role.rbac.authorization.k8s.io "missing" not found',
  );
});

test('the default view ClusterRole is there to bind, and an aggregated ClusterRole gathers the rules of the roles it selects', async () => {
  const viewer = await accountWith(
    'viewer',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewer, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: viewer}]
`,
  );
  assert.is(await status(viewer, 'GET', '/apis/apps/v1/namespaces/team-a/deployments'), 200);
  assert.is(await status(viewer, 'GET', '/api/v1/namespaces/team-a/secrets'), 403, 'view does not read Secrets');
  // A role labelled to aggregate into view (as operators ship them for their CRDs) widens view, as on a real cluster.
  assert.is(await status(viewer, 'GET', '/apis/example.com/v1/namespaces/team-a/widgets'), 403);
  sim.seedYaml(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: widgets-view, labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}}
rules: [{apiGroups: [example.com], resources: [widgets], verbs: [get, list, watch]}]
`);
  assert.is(
    await status(viewer, 'GET', '/apis/example.com/v1/namespaces/team-a/widgets'),
    404,
    'allowed, and not served',
  );

  const aggregated = await accountWith(
    'aggregated',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {example.com/aggregate-to-monitoring: "true"}}]
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: aggregated}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: monitoring}
subjects: [{kind: ServiceAccount, name: aggregated, namespace: team-a}]
`,
  );
  assert.is(await status(aggregated, 'GET', '/api/v1/configmaps'), 403);
  await kubectlOk(
    sim.kubeconfigPath,
    ['apply', '-f', '-'],
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: configmap-reader, labels: {example.com/aggregate-to-monitoring: "true"}}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [list]}]
`,
  );
  await eventually(
    async () => (await status(aggregated, 'GET', '/api/v1/configmaps')) === 200,
    5000,
    'the aggregated rule',
  );
  const monitoring = sim.get('rbac.authorization.k8s.io', 'clusterroles', undefined, 'monitoring')!;
  assert.equal(monitoring.rules, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }]);
  assert.ok(
    monitoring.metadata.managedFields!.some(
      (m) => m.manager === 'clusterrole-aggregation-controller' && m.operation === 'Apply',
    ),
  );

  await kubectlOk(sim.kubeconfigPath, [
    'label',
    'clusterrole',
    'configmap-reader',
    'example.com/aggregate-to-monitoring-',
  ]);
  await eventually(async () => (await status(aggregated, 'GET', '/api/v1/configmaps')) === 403, 5000, 'the rule to go');
});

test('kubectl with a service account token gets what the bindings grant', async () => {
  const token = sim.mintToken('team-a', 'reader');
  assert.match(
    await kubectlOk(sim.kubeconfigPath, ['-n', 'team-a', 'get', 'configmaps', '-o', 'name', '--token', token]),
    'configmap/settings',
  );
  const denied = await kubectl(sim.kubeconfigPath, [
    '-n',
    'team-a',
    'delete',
    'configmap',
    'settings',
    '--token',
    token,
  ]);
  assert.is(denied.code, 1);
  assert.match(denied.stderr, 'cannot delete resource "configmaps"');
});

test.run();
