// The drill's deployment: the kustomize component's weekly CronJob (rendered offline by kubectl's built-in
// kustomize from an overlay, as a user writes it), its ServiceAccount without API access, and the alert.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run, temporaryDirectory } from '../helpers/processes.ts';
import { runCli } from '../helpers/cli.ts';
import { namespace, writeRepository } from './drill-setup.ts';

const root = new URL('../../', import.meta.url).pathname;
type Manifest = { kind: string; metadata: { name: string; namespace?: string }; [key: string]: any };

async function withDrillComponent(): Promise<Manifest[]> {
  const overlay = temporaryDirectory('kubesnap-drill-overlay-');
  try {
    // kustomize takes only relative paths to other kustomizations.
    const base = relative(overlay.path, join(root, 'templates/deploy'));
    writeFileSync(
      join(overlay.path, 'kustomization.yaml'),
      `resources:\n  - ${base}\ncomponents:\n  - ${join(base, 'components/drill')}\n`,
    );
    const result = await run('/usr/bin/kubectl', ['kustomize', overlay.path]);
    assert.is(result.code, 0, result.stderr);
    return loadAll(result.stdout) as Manifest[];
  } finally {
    overlay.remove();
  }
}

test('the drill component adds a weekly CronJob under its own ServiceAccount, which mounts no token and is bound to nothing', async () => {
  const manifests = await withDrillComponent();
  const cronJob = manifests.find((m) => m.kind === 'CronJob' && m.metadata.name === 'kubesnap-drill')!;
  assert.ok(cronJob);
  assert.is(cronJob.metadata.namespace, 'kubesnap');
  assert.match(cronJob.spec.schedule, /^\d+ \d+ \* \* [0-6]$/, 'weekly');
  const pod = cronJob.spec.jobTemplate.spec.template.spec;
  assert.is(pod.serviceAccountName, 'kubesnap-drill');
  assert.is(pod.automountServiceAccountToken, false);
  const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'kubesnap')!;
  assert.is(pod.containers[0].image, deployment.spec.template.spec.containers[0].image, 'the image the watch runs');
  assert.match(pod.containers[0].args[0], /kubesnap\.js drill --repo \/tmp\/repo --target "\$DRILL_TARGET"/);
  assert.equal(
    pod.containers[0].env.find((e: { name: string }) => e.name === 'DRILL_TARGET'),
    { name: 'DRILL_TARGET', value: 'sim' },
  );
  assert.match(pod.containers[0].args[0], /push --quiet origin refs\/notes\/kubesnap-drills/);
  const account = manifests.find((m) => m.kind === 'ServiceAccount' && m.metadata.name === 'kubesnap-drill')!;
  assert.is(account.automountServiceAccountToken, false);
  const bindings = manifests.filter((m) => m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding');
  assert.not.ok(bindings.some((b) => b.subjects?.some((s: { name: string }) => s.name === 'kubesnap-drill')));
});

test('a sim drill needs no Kubernetes credentials at all, as the CronJob runs it', async () => {
  const repo = await writeRepository([namespace('shop')]);
  try {
    const result = await runCli(['drill', '--repo', repo.repo, '--target', 'sim'], {
      env: { KUBECONFIG: '/nonexistent', HOME: '/nonexistent', KUBESNAP_SERVICE_ACCOUNT_DIR: '/nonexistent' },
    });
    assert.is(result.code, 0, result.stdout + result.stderr);
  } finally {
    repo.remove();
  }
});

test('the alert "no successful drill in 8 days" reads the drill metric the watch exports, in the base and the chart', () => {
  const rule = load(readFileSync(join(root, 'templates/deploy/monitoring/prometheusrule.yaml'), 'utf8')) as Manifest;
  const alert = rule.spec.groups
    .flatMap((group: any) => group.rules)
    .find((r: any) => r.alert === 'KubesnapNoSuccessfulDrill');
  assert.match(alert.expr, /kubesnap_drill_last_success_timestamp_seconds\{part="config"\}\)\) > 8 \* 86400/);
  assert.match(alert.expr, /kubesnap_drill_failures_total/);
  const metrics = readFileSync(join(root, 'lib/metrics/index.ts'), 'utf8');
  assert.ok(
    metrics.includes("'kubesnap_drill_last_success_timestamp_seconds'") &&
      metrics.includes("'kubesnap_drill_failures_total'"),
  );
  const chart = load(readFileSync(join(root, 'templates/chart/files/prometheus-rules.yaml'), 'utf8')) as any;
  assert.equal(
    chart.groups.flatMap((group: any) => group.rules).find((r: any) => r.alert === 'KubesnapNoSuccessfulDrill'),
    alert,
  );
});

test.run();
