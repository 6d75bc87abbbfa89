// The rules the simulator serves for the bootstrap admin, edit and view - in a SelfSubjectRulesReview of a service
// account bound to one of them - are the recorded ones (test/fixtures/apiserver/lists), and a ClusterRole labelled
// to aggregate into view joins view, edit and admin where the clusterrole-aggregation controller puts it: the
// matching roles by name, each rule once.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import type { KubeObject } from '../../lib/sim/types.ts';
import { call } from './http.ts';

const LIST = new URL('../fixtures/apiserver/lists/clusterroles.rbac.authorization.k8s.io.json', import.meta.url);
const recordedRoles: KubeObject[] = JSON.parse(readFileSync(LIST, 'utf8')).items;
const recordedRules = (name: string): unknown[] =>
  recordedRoles.find((role) => role.metadata.name === name)?.rules as unknown[];

const ROLES = ['admin', 'edit', 'view'];
let sim: Simulator;

test.before(async () => {
  sim = await startSimulator();
  sim.seedYaml(
    ROLES.map(
      (role) => `apiVersion: v1
kind: ServiceAccount
metadata: {name: ${role}-holder, namespace: team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${role}-holder, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}
subjects: [{kind: ServiceAccount, name: ${role}-holder}]
`,
    ).join('---\n'),
  );
});

test.after(async () => {
  await sim.stop();
});

async function resourceRules(token: string, namespace?: string): Promise<unknown[]> {
  const body = { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', spec: { namespace } };
  const response = await call(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { token, body });
  assert.is(response.status, 201, response.text);
  return response.json.status.resourceRules;
}

/** The rules the role bound in `team` adds to what its holder holds everywhere (system:basic-user's). */
async function servedRules(role: string): Promise<unknown[]> {
  const token = sim.mintToken('team', `${role}-holder`);
  const everywhere = await resourceRules(token);
  const inTeam = await resourceRules(token, 'team');
  assert.equal(inTeam.slice(0, everywhere.length), everywhere);
  return inTeam.slice(everywhere.length);
}

for (const role of ROLES)
  test(`${role}: the served rules are the recorded ones, in the recorded order`, async () => {
    assert.equal(await servedRules(role), recordedRules(role));
  });

test('a ClusterRole labelled aggregate-to-view joins view, edit and admin where the aggregation controller puts it', async () => {
  const widgets = { verbs: ['get', 'list', 'watch'], apiGroups: ['example.com'], resources: ['widgets'] };
  const gadgets = { verbs: ['get'], apiGroups: ['example.com'], resources: ['gadgets'] };
  const namespaces = { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['namespaces'] };
  assert.ok(recordedRules('view').some((rule) => JSON.stringify(rule) === JSON.stringify(namespaces)));
  const labelled = (name: string, rules: unknown[]) =>
    JSON.stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name, labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules,
    });
  // Sorted by name around system:aggregate-to-view: a-widgets before it, z-gadgets after; a rule view already
  // has is not repeated.
  sim.seedYaml([labelled('z-gadgets', [gadgets, namespaces]), labelled('a-widgets', [widgets])].join('\n---\n'));

  const view = [widgets, ...recordedRules('system:aggregate-to-view'), gadgets];
  const edit = [...recordedRules('system:aggregate-to-edit'), ...view];
  const admin = [...edit, ...recordedRules('system:aggregate-to-admin')];
  assert.equal(await servedRules('view'), view);
  assert.equal(await servedRules('edit'), edit);
  assert.equal(await servedRules('admin'), admin);
});

test.run();
