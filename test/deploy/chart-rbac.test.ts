// The Helm chart's RBAC is the kustomize base's, rule for rule: the chart cannot be rendered by helm here,
// so a drift between the two (a verb added to one only) is caught by rendering both and comparing.
import { loadAll } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderDeployOverlay } from '../helpers/deploy-overlay.ts';
import { run } from '../helpers/processes.ts';
import { renderChartTemplate } from './chart-render.ts';

const root = new URL('../../', import.meta.url).pathname;
const rbacKinds = ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
type Manifest = { kind: string; metadata: { name: string; namespace?: string }; [key: string]: any };

async function kustomizeBase(): Promise<Manifest[]> {
  const result = await run('/usr/bin/kubectl', ['kustomize', `${root}templates/deploy`]);
  assert.is(result.code, 0, result.stderr);
  return loadAll(result.stdout) as Manifest[];
}

function chartRbac(values: Record<string, unknown> = {}): Manifest[] {
  return [...renderChartTemplate('serviceaccount.yaml', { values }), ...renderChartTemplate('rbac.yaml', { values })];
}

/** The drill's ServiceAccount and RBAC as the chart renders them with `drill` values. */
function chartDrillRbac(drill: Record<string, unknown>): Manifest[] {
  const values = { drill: { enabled: true, ...drill } };
  return [
    ...renderChartTemplate('drill-cronjob.yaml', { values }),
    ...renderChartTemplate('drill-rbac.yaml', { values }),
  ];
}

/** The drill's ServiceAccount and RBAC in the base with some drill components (kubectl kustomize of an overlay). */
async function kustomizeDrillRbac(components: string[]): Promise<Manifest[]> {
  const rendered = loadAll(await renderDeployOverlay(components)) as Manifest[];
  return rendered.filter((m) => m.metadata.name.startsWith('kubesnap-drill'));
}

/** What RBAC means in an object: its identity, rules (order-free), role reference and subjects; labels and comments aside. */
function meaning(manifest: Manifest): unknown {
  const sorted = (list?: string[]) => (list ? [...list].sort() : undefined);
  const rules = manifest.rules
    ?.map((rule: any) =>
      JSON.stringify({
        apiGroups: sorted(rule.apiGroups),
        resources: sorted(rule.resources),
        verbs: sorted(rule.verbs),
        resourceNames: sorted(rule.resourceNames),
        nonResourceURLs: sorted(rule.nonResourceURLs),
      }),
    )
    .sort();
  return {
    kind: manifest.kind,
    name: manifest.metadata.name,
    namespace: manifest.metadata.namespace,
    rules,
    roleRef: manifest.roleRef,
    subjects: manifest.subjects,
  };
}

function byIdentity(manifests: Manifest[]): Map<string, unknown> {
  return new Map(
    manifests.filter((m) => rbacKinds.includes(m.kind)).map((m) => [`${m.kind}/${m.metadata.name}`, meaning(m)]),
  );
}

test('with the default values the chart (release "kubesnap" in namespace kubesnap) renders the base\'s RBAC exactly', async () => {
  const base = byIdentity(await kustomizeBase());
  const chart = byIdentity(chartRbac());
  assert.equal([...chart.keys()].sort(), [...base.keys()].sort());
  for (const [identity, expected] of base)
    assert.equal(chart.get(identity), expected, `${identity} differs between templates/deploy and templates/chart`);
});

test("the drill's RBAC is the kustomize components': bound to nothing for drill.target sim, components/drill/namespaces' roles for namespaces", async () => {
  for (const [target, components] of [
    ['sim', ['drill']],
    ['namespaces', ['drill', 'drill/namespaces']],
  ] as const) {
    const base = byIdentity(await kustomizeDrillRbac([...components]));
    const chart = byIdentity(chartDrillRbac({ target }));
    assert.equal([...chart.keys()].sort(), [...base.keys()].sort(), `drill.target ${target}`);
    for (const [identity, expected] of base)
      assert.equal(
        chart.get(identity),
        expected,
        `${identity} differs between the components and the chart (${target})`,
      );
  }
});

test("the comparison is a real one: a verb dropped from the chart's Lease role is a difference", async () => {
  const base = byIdentity(await kustomizeBase());
  const chart = chartRbac();
  const role = chart.find((m) => m.kind === 'Role')!;
  const renewing = role.rules.find((rule: any) => rule.verbs.includes('patch'));
  renewing.verbs = renewing.verbs.filter((verb: string) => verb !== 'patch');
  assert.not.equal(byIdentity(chart).get('Role/kubesnap-leader-election'), base.get('Role/kubesnap-leader-election'));
});

test("the chart's switches leave out exactly their objects: no Lease role without leader election, no restore role when not asked", () => {
  const names = (manifests: Manifest[]) => manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort();
  const all = names(chartRbac());
  assert.equal(
    names(chartRbac({ leaderElection: { enabled: false } })),
    all.filter((name) => !name.includes('leader-election')),
  );
  assert.equal(
    names(chartRbac({ restoreRole: { create: false } })),
    all.filter((name) => name !== 'ClusterRole/kubesnap-restore'),
  );
});

test('another release name renames every object and reference consistently', () => {
  const chart = [
    ...renderChartTemplate('serviceaccount.yaml', { name: 'prod', namespace: 'ops' }),
    ...renderChartTemplate('rbac.yaml', { name: 'prod', namespace: 'ops' }),
  ];
  for (const manifest of chart) assert.ok(manifest.metadata.name.startsWith('prod-kubesnap'), manifest.metadata.name);
  for (const binding of chart.filter((m) => m.kind.endsWith('Binding'))) {
    assert.ok(
      chart.some((m) => m.kind === binding.roleRef.kind && m.metadata.name === binding.roleRef.name),
      `${binding.metadata.name} refers to a rendered role`,
    );
    assert.equal(binding.subjects, [{ kind: 'ServiceAccount', name: 'prod-kubesnap', namespace: 'ops' }]);
  }
});

test("another release name renames the drill's roles consistently: it may bind exactly the role its CronJob names", () => {
  const values = { drill: { enabled: true, target: 'namespaces' } };
  const release = { name: 'prod', namespace: 'ops', values };
  const [, cronJob] = renderChartTemplate('drill-cronjob.yaml', release);
  const rbac = renderChartTemplate('drill-rbac.yaml', release) as Manifest[];
  for (const manifest of rbac)
    assert.ok(manifest.metadata.name.startsWith('prod-kubesnap-drill'), manifest.metadata.name);
  const binding = rbac.find((m) => m.kind === 'ClusterRoleBinding')!;
  assert.equal(binding.subjects, [{ kind: 'ServiceAccount', name: 'prod-kubesnap-drill', namespace: 'ops' }]);
  const clusterWide = rbac.find((m) => m.kind === 'ClusterRole' && m.metadata.name === binding.roleRef.name)!;
  const bindRule = clusterWide.rules.find((rule: any) => rule.verbs.includes('bind'));
  const env = cronJob.spec.jobTemplate.spec.template.spec.containers[0].env;
  const role = env.find((e: { name: string }) => e.name === 'DRILL_NAMESPACE_ROLE').value;
  assert.is(role, 'prod-kubesnap-drill-in-namespace');
  assert.equal(bindRule.resourceNames, [role]);
  assert.ok(rbac.some((m) => m.kind === 'ClusterRole' && m.metadata.name === role));
});

test('for any release the Lease role names the Lease the Deployment elects on (--lease-name)', () => {
  for (const release of [{}, { name: 'prod', namespace: 'ops' }]) {
    const [deployment] = renderChartTemplate('deployment.yaml', release);
    const args: string[] = deployment.spec.template.spec.containers[0].args;
    const leaseName = args[args.indexOf('--lease-name') + 1];
    assert.ok(args.includes('--leader-elect') && leaseName, 'the chart elects on a named Lease');
    const role = renderChartTemplate('rbac.yaml', release).find((m) => m.kind === 'Role');
    const named = role.rules.filter((rule: any) => rule.resourceNames);
    assert.ok(
      named.length > 0 &&
        named.every((rule: any) => rule.resourceNames.length === 1 && rule.resourceNames[0] === leaseName),
      `the Role is limited to ${leaseName}`,
    );
  }
});

test.run();
