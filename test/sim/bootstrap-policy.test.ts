// The simulator's bootstrap policy is what a kube-apiserver v1.32 has (test/fixtures/apiserver/lists): each role's
// effective rules in the recorded order - admin, edit and view as their aggregationRules gather them from
// system:aggregate-to-admin/edit/view and from each other -, and the groups its bootstrap binding names.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BOOTSTRAP_CLUSTER_ROLES } from '../../lib/sim/bootstrap-policy.ts';
import { rulesOf } from '../../lib/sim/rbac-rules.ts';
import type { KubeObject } from '../../lib/sim/types.ts';

const LISTS = new URL('../fixtures/apiserver/lists/', import.meta.url);
const recorded = (list: string): Map<string, KubeObject> => {
  const { items } = JSON.parse(readFileSync(new URL(`${list}.rbac.authorization.k8s.io.json`, LISTS), 'utf8'));
  return new Map(items.map((item: KubeObject) => [item.metadata.name, item]));
};
const clusterRoles = recorded('clusterroles');
const bindings = recorded('clusterrolebindings');

for (const role of BOOTSTRAP_CLUSTER_ROLES) {
  test(`${role.name}: the recorded rules, in the recorded order`, () => {
    const recordedRole = clusterRoles.get(role.name);
    assert.ok(recordedRole, `${role.name} is a recorded ClusterRole`);
    assert.equal(role.rules, rulesOf(recordedRole));
  });

  test(`${role.name}: bound to the groups its recorded bootstrap binding names`, () => {
    const binding = bindings.get(role.name);
    const groups = ((binding?.subjects as Array<{ kind: string; name: string }> | undefined) ?? [])
      .filter((subject) => subject.kind === 'Group')
      .map((subject) => subject.name);
    assert.equal(role.boundGroups, groups);
  });
}

test.run();
