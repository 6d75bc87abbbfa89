// The namespaces drill as the CronJob runs it with components/drill/namespaces: as the ServiceAccount kubesnap-drill
// under that component's RBAC (the simulator enforces RBAC for ServiceAccount tokens). It runs without a 403 and
// cleans up, and the same token cannot delete a namespace that is not one the drill made.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { dump, loadAll } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kubectl } from '../helpers/kubectl.ts';
import { run, temporaryDirectory } from '../helpers/processes.ts';
import { kubectlOk, startRestoreCluster, type RestoreCluster } from '../restore/restore-setup.ts';
import { runNamespacesDrill } from './namespaces-drill.ts';

const root = new URL('../../', import.meta.url).pathname;
type Manifest = { kind: string; metadata: { name: string; namespace?: string }; [key: string]: any };
let cluster: RestoreCluster;
let manifests: Manifest[];

/** The base with the drill component and its namespaces component, rendered by kubectl's kustomize as a user's overlay. */
async function render(): Promise<Manifest[]> {
  const overlay = temporaryDirectory('kubesnap-drill-ns-overlay-');
  try {
    const base = relative(overlay.path, join(root, 'templates/deploy'));
    writeFileSync(
      join(overlay.path, 'kustomization.yaml'),
      `resources:\n  - ${base}\ncomponents:\n  - ${base}/components/drill\n  - ${base}/components/drill/namespaces\n`,
    );
    const result = await run('/usr/bin/kubectl', ['kustomize', overlay.path]);
    assert.is(result.code, 0, result.stderr);
    return loadAll(result.stdout) as Manifest[];
  } finally {
    overlay.remove();
  }
}

test.before(async () => {
  cluster = await startRestoreCluster();
  await cluster.snapshot();
  manifests = await render();
  const drillRbac = manifests.filter(
    (m) =>
      /^kubesnap-drill/.test(m.metadata.name) &&
      ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ServiceAccount'].includes(m.kind),
  );
  await kubectlOk(cluster.sim, ['create', 'namespace', 'kubesnap']);
  await kubectlOk(cluster.sim, ['create', '-f', '-'], drillRbac.map((m) => dump(m)).join('---\n'));
});

test.after(async () => {
  await cluster?.stop();
});

/** A kubeconfig whose user is the ServiceAccount kubesnap-drill, with a fresh token. */
function serviceAccountKubeconfig(): string {
  const path = join(cluster.tmp.path, 'drill-sa.kubeconfig');
  writeFileSync(
    path,
    cluster.sim.kubeconfig.replace(cluster.sim.token, cluster.sim.mintToken('kubesnap', 'kubesnap-drill')),
  );
  return path;
}

test('the CronJob runs the namespaces target with the in-namespace role and a mounted token', () => {
  const cronJob = manifests.find((m) => m.kind === 'CronJob' && m.metadata.name === 'kubesnap-drill')!;
  const pod = cronJob.spec.jobTemplate.spec.template.spec;
  assert.is(pod.automountServiceAccountToken, true);
  const env = Object.fromEntries(
    pod.containers[0].env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]),
  );
  assert.is(env.DRILL_TARGET, 'namespaces');
  assert.is(env.DRILL_NAMESPACE_ROLE, 'kubesnap-drill-in-namespace');
  assert.match(
    pod.containers[0].args[0],
    /--target "\$DRILL_TARGET" \$\{DRILL_NAMESPACE_ROLE:\+--namespace-role "\$DRILL_NAMESPACE_ROLE"\}/,
  );
});

test('as the ServiceAccount: the namespaces drill passes with no 403 and deletes its namespaces; the token cannot delete a production namespace', async () => {
  const kubeconfig = serviceAccountKubeconfig();
  const result = await runNamespacesDrill(
    kubeconfig,
    cluster.repo,
    '--namespace-role',
    'kubesnap-drill-in-namespace',
    '--no-record',
    '-o',
    'json',
  );
  assert.is(result.code, 0, result.stdout + result.stderr);
  assert.not.match(result.stdout + result.stderr, /403|forbidden/i);
  assert.is(JSON.parse(result.stdout).parts[0].status, 'passed');
  const left = cluster.sim
    .list('', 'namespaces')
    .filter((n) => /-drill-/.test(n.metadata.name!) && !n.metadata.deletionTimestamp);
  assert.equal(
    left.map((n) => n.metadata.name),
    [],
  );

  const denied = await kubectl(kubeconfig, ['delete', 'namespace', 'shop', '--wait=false']);
  assert.is.not(denied.code, 0);
  assert.match(denied.stderr, /forbidden/i);
  assert.ok(
    cluster.sim.list('', 'namespaces').some((n) => n.metadata.name === 'shop' && !n.metadata.deletionTimestamp),
  );
});

test('without --namespace-role the ServiceAccount may not write into the namespaces it created: the drill fails, named', async () => {
  const result = await runNamespacesDrill(serviceAccountKubeconfig(), cluster.repo, '--no-record');
  assert.is.not(result.code, 0);
  assert.match(result.stdout + result.stderr, /forbidden|403/i);
});

test.run();
