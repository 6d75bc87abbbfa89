// The optional PersistentVolumeClaim for /data: the kustomize component (rendered by kubectl's built-in
// kustomize, offline, from an overlay as a user writes it) and the chart's `persistence` values render the
// same claim and the same Deployment changes; without them /data stays an emptyDir.
import { loadAll } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { renderDeployOverlay } from '../helpers/deploy-overlay.ts';
import { renderChartTemplate } from './chart-render.ts';

type Manifest = { kind: string; metadata: { name: string; namespace?: string }; [key: string]: any };

let persistent: Manifest[];

async function kustomize(components: string[]): Promise<Manifest[]> {
  return loadAll(await renderDeployOverlay(components)) as Manifest[];
}

function find(manifests: Manifest[], kind: string): Manifest | undefined {
  return manifests.find((m) => m.kind === kind);
}

function dataVolume(deployment: Manifest): Record<string, unknown> {
  return deployment.spec.template.spec.volumes.find((volume: any) => volume.name === 'data');
}

test.before(async () => {
  persistent = await kustomize(['persistence']);
});

test("base + persistence component: a ReadWriteOnce claim in kubesnap's namespace, /data on it, one replica replaced with Recreate", () => {
  const claim = find(persistent, 'PersistentVolumeClaim');
  assert.ok(claim, 'the claim is rendered');
  assert.is(claim!.metadata.name, 'kubesnap-data');
  assert.is(claim!.metadata.namespace, 'kubesnap');
  assert.equal(claim!.spec.accessModes, ['ReadWriteOnce']);
  assert.ok(claim!.spec.resources.requests.storage);
  const deployment = find(persistent, 'Deployment')!;
  assert.equal(dataVolume(deployment), { name: 'data', persistentVolumeClaim: { claimName: 'kubesnap-data' } });
  const tmp = deployment.spec.template.spec.volumes.find((volume: any) => volume.name === 'tmp');
  assert.equal(tmp.emptyDir, {}, '/tmp stays an emptyDir');
  assert.is(deployment.spec.replicas, 1);
  assert.equal(deployment.spec.strategy, { type: 'Recreate' });
  const mounts = deployment.spec.template.spec.containers[0].volumeMounts;
  assert.ok(mounts.some((mount: any) => mount.name === 'data' && mount.mountPath === '/data'));
});

test('without the component /data is an emptyDir and there is no claim', async () => {
  const base = await kustomize([]);
  assert.not.ok(find(base, 'PersistentVolumeClaim'));
  assert.equal(dataVolume(find(base, 'Deployment')!), { name: 'data', emptyDir: {} });
});

test('the persistent rendering applies to a cluster (server-side dry run)', async () => {
  const sim: Simulator = await startSimulator();
  try {
    const yaml = persistent.map((m) => JSON.stringify(m)).join('\n');
    let result = await kubectl(sim.kubeconfigPath, ['create', 'namespace', 'kubesnap']);
    assert.is(result.code, 0, result.stderr);
    result = await kubectl(sim.kubeconfigPath, ['apply', '--dry-run=server', '-f', '-'], yaml);
    assert.is(result.code, 0, result.stderr);
    assert.match(result.stdout, 'persistentvolumeclaim/kubesnap-data created (server dry run)');
  } finally {
    await sim.stop();
  }
});

test("the chart's persistence values render what the component does; off by default", () => {
  const chartDeployment = (values: Record<string, unknown>) => renderChartTemplate('deployment.yaml', { values })[0];
  assert.equal(renderChartTemplate('persistentvolumeclaim.yaml'), []);
  assert.equal(dataVolume(chartDeployment({})), { name: 'data', emptyDir: {} });
  assert.is(chartDeployment({}).spec.strategy, undefined);

  const values = { persistence: { enabled: true } };
  const [claim] = renderChartTemplate('persistentvolumeclaim.yaml', { values });
  const componentClaim = find(persistent, 'PersistentVolumeClaim')!;
  assert.is(claim.metadata.name, componentClaim.metadata.name);
  assert.equal(claim.spec, componentClaim.spec);
  const deployment = chartDeployment(values);
  const componentDeployment = find(persistent, 'Deployment')!;
  assert.equal(dataVolume(deployment), dataVolume(componentDeployment));
  assert.equal(deployment.spec.strategy, componentDeployment.spec.strategy);

  const [classed] = renderChartTemplate('persistentvolumeclaim.yaml', {
    values: { persistence: { enabled: true, storageClass: 'fast-ssd', size: '20Gi' } },
  });
  assert.is(classed.spec.storageClassName, 'fast-ssd');
  assert.is(classed.spec.resources.requests.storage, '20Gi');
});

test.run();
