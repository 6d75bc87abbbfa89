// The chart's drill CronJob (drill.enabled, drill.schedule) is the kustomize component's: the same job, pod and
// script, told apart only by names, labels, the image's values and where the remote URL comes from.
import { readFileSync } from 'node:fs';
import { load, loadAll } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderChartTemplate } from '../deploy/chart-render.ts';
import { renderDeployOverlay } from '../helpers/deploy-overlay.ts';

const componentDir = new URL('../../templates/deploy/components/drill/', import.meta.url).pathname;
type Manifest = { kind: string; metadata: { name: string; namespace?: string; labels?: unknown }; [key: string]: any };

/** The CronJob without what differs by design between the chart and the component. */
function comparable(cronJob: Manifest): unknown {
  const copy = structuredClone(cronJob);
  const pod = copy.spec.jobTemplate.spec.template;
  delete pod.metadata.labels;
  delete pod.spec.serviceAccountName;
  const container = pod.spec.containers[0];
  delete container.image;
  delete container.imagePullPolicy;
  container.env = container.env.filter(
    (e: { name: string }) => e.name !== 'GIT_REMOTE_URL' && e.name !== 'KUBESNAP_GIT_TOKEN',
  );
  // The role's name follows the release in the chart; chart-rbac.test.ts checks it names the role the chart renders.
  for (const e of container.env) if (e.name === 'DRILL_NAMESPACE_ROLE') e.value = 'the in-namespace role';
  return copy.spec;
}

test('drill.enabled is off by default: no CronJob, no ServiceAccount', () => {
  assert.equal(renderChartTemplate('drill-cronjob.yaml'), []);
});

test("drill.enabled renders the kustomize component's CronJob and its ServiceAccount, bound to nothing", () => {
  const rendered = renderChartTemplate('drill-cronjob.yaml', {
    name: 'prod',
    namespace: 'backup',
    values: { drill: { enabled: true } },
  }) as Manifest[];
  const account = rendered.find((m) => m.kind === 'ServiceAccount')!;
  const cronJob = rendered.find((m) => m.kind === 'CronJob')!;
  assert.equal(
    [account.metadata.name, account.metadata.namespace, account.automountServiceAccountToken],
    ['prod-kubesnap-drill', 'backup', false],
  );
  assert.is(cronJob.metadata.namespace, 'backup');
  assert.is(cronJob.spec.jobTemplate.spec.template.spec.serviceAccountName, 'prod-kubesnap-drill');
  const component = load(readFileSync(`${componentDir}cronjob-drill.yaml`, 'utf8')) as Manifest;
  assert.equal(comparable(cronJob), comparable(component));
  const env = cronJob.spec.jobTemplate.spec.template.spec.containers[0].env;
  const values = load(readFileSync(new URL('../../templates/chart/values.yaml', import.meta.url), 'utf8')) as {
    remote: string;
  };
  assert.equal(
    env.find((e: { name: string }) => e.name === 'GIT_REMOTE_URL'),
    { name: 'GIT_REMOTE_URL', value: values.remote },
  );
  assert.equal(env.find((e: { name: string }) => e.name === 'KUBESNAP_GIT_TOKEN').valueFrom.secretKeyRef, {
    name: 'kubesnap-git',
    key: 'token',
    optional: true,
  });
});

test("drill.target namespaces renders the namespaces component's CronJob: a mounted token, the in-namespace role", async () => {
  const rendered = renderChartTemplate('drill-cronjob.yaml', {
    values: { drill: { enabled: true, target: 'namespaces' } },
  }) as Manifest[];
  const cronJob = rendered.find((m) => m.kind === 'CronJob')!;
  const overlay = (loadAll(await renderDeployOverlay(['drill', 'drill/namespaces'])) as Manifest[]).find(
    (m) => m.kind === 'CronJob',
  )!;
  assert.equal(comparable(cronJob), comparable(overlay));
  const env = cronJob.spec.jobTemplate.spec.template.spec.containers[0].env;
  assert.equal(
    env.find((e: { name: string }) => e.name === 'DRILL_NAMESPACE_ROLE'),
    { name: 'DRILL_NAMESPACE_ROLE', value: 'kubesnap-drill-in-namespace' },
  );
});

test('drill.schedule sets the schedule', () => {
  const [, cronJob] = renderChartTemplate('drill-cronjob.yaml', {
    values: { drill: { enabled: true, schedule: '0 4 * * 1' } },
  }) as Manifest[];
  assert.is(cronJob.spec.schedule, '0 4 * * 1');
});

test.run();
