// @kubernetes/client-node 1.x against the simulator: typed APIs, custom objects, the generic object API, Watch.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as k8s from '@kubernetes/client-node';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';

let sim: Simulator;
let kc: k8s.KubeConfig;

test.before(async () => {
  sim = await startSimulator();
  sim.seedYaml(`
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: blue, namespace: shop}
spec: {size: 3}
`);
  kc = new k8s.KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
});

test.after(async () => {
  await sim.stop();
});

test('CoreV1Api: create, read, list with a selector, replace, patch and delete a ConfigMap', async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const created = await core.createNamespacedConfigMap({
    namespace: 'shop',
    body: { metadata: { name: 'web-config', labels: { tier: 'frontend' } }, data: { a: '1' } },
  });
  assert.ok(created.metadata?.uid);
  const read = await core.readNamespacedConfigMap({ namespace: 'shop', name: 'web-config' });
  assert.equal(read.data, { a: '1' });
  const list = await core.listNamespacedConfigMap({ namespace: 'shop', labelSelector: 'tier=frontend' });
  assert.equal(
    list.items.map((i) => i.metadata?.name),
    ['web-config'],
  );
  assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);
  const replaced = await core.replaceNamespacedConfigMap({
    namespace: 'shop',
    name: 'web-config',
    body: { ...read, data: { a: '2' } },
  });
  assert.equal(replaced.data, { a: '2' });
  const patched = await core.patchNamespacedConfigMap({
    namespace: 'shop',
    name: 'web-config',
    body: [{ op: 'add', path: '/data/b', value: '3' }],
  });
  assert.equal(patched.data, { a: '2', b: '3' });
  await core.deleteNamespacedConfigMap({ namespace: 'shop', name: 'web-config' });
  try {
    await core.readNamespacedConfigMap({ namespace: 'shop', name: 'web-config' });
    assert.unreachable('the ConfigMap should be gone');
  } catch (error) {
    assert.instance(error, k8s.ApiException);
    assert.is((error as k8s.ApiException<unknown>).code, 404);
  }
});

test('AppsV1Api: a Deployment and its scale subresource', async () => {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  await apps.createNamespacedDeployment({
    namespace: 'shop',
    body: {
      metadata: { name: 'web' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
      },
    },
  });
  const scale = await apps.readNamespacedDeploymentScale({ namespace: 'shop', name: 'web' });
  assert.is(scale.spec?.replicas, 1);
  await apps.replaceNamespacedDeploymentScale({
    namespace: 'shop',
    name: 'web',
    body: { ...scale, spec: { replicas: 3 } },
  });
  const deployment = await apps.readNamespacedDeployment({ namespace: 'shop', name: 'web' });
  assert.is(deployment.spec?.replicas, 3);
  assert.is(deployment.metadata?.generation, 2);
  const conflict = await apps.createNamespacedDeployment({ namespace: 'shop', body: deployment }).catch((e) => e);
  assert.is(conflict.code, 409);
});

test('CustomObjectsApi lists and patches custom resources', async () => {
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const list = (await custom.listNamespacedCustomObject({
    group: 'example.com',
    version: 'v1',
    namespace: 'shop',
    plural: 'widgets',
  })) as { items: k8s.KubernetesObject[] };
  assert.equal(
    list.items.map((i) => i.metadata?.name),
    ['blue'],
  );
  const patched = (await custom.patchNamespacedCustomObject({
    group: 'example.com',
    version: 'v1',
    namespace: 'shop',
    plural: 'widgets',
    name: 'blue',
    body: [{ op: 'replace', path: '/spec/size', value: 5 }],
  })) as { spec: { size: number } };
  assert.is(patched.spec.size, 5);
});

test('KubernetesObjectApi: generic create, read, server-side apply patch, delete', async () => {
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const spec = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'generic', namespace: 'shop' },
    data: { k: 'v' },
  };
  await objects.create(spec);
  const read = await objects.read({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'generic', namespace: 'shop' },
  });
  assert.equal((read as any).data, { k: 'v' });
  await objects.patch(
    { ...spec, data: { k: 'w' } },
    undefined,
    undefined,
    'kubesnap-test',
    true,
    k8s.PatchStrategy.ServerSideApply,
  );
  const applied = sim.get('', 'configmaps', 'shop', 'generic')!;
  assert.is((applied.data as Record<string, string>).k, 'w');
  assert.ok(applied.metadata.managedFields?.some((m) => m.manager === 'kubesnap-test' && m.operation === 'Apply'));
  await objects.delete(spec);
  assert.is(sim.get('', 'configmaps', 'shop', 'generic'), undefined);
});

test('Watch delivers ADDED/MODIFIED/DELETED from a resourceVersion', async () => {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const start = (await core.listNamespacedConfigMap({ namespace: 'shop' })).metadata?.resourceVersion;
  const seen: string[] = [];
  let done!: () => void;
  const threeEvents = new Promise<void>((resolve) => (done = resolve));
  const controller = await new k8s.Watch(kc).watch(
    '/api/v1/namespaces/shop/configmaps',
    { resourceVersion: start },
    (type, object) => {
      seen.push(`${type} ${object.metadata.name}`);
      if (seen.length === 3) done();
    },
    () => {},
  );
  await core.createNamespacedConfigMap({ namespace: 'shop', body: { metadata: { name: 'w' } } });
  await core.patchNamespacedConfigMap({
    namespace: 'shop',
    name: 'w',
    body: [{ op: 'add', path: '/data', value: { x: '1' } }],
  });
  await core.deleteNamespacedConfigMap({ namespace: 'shop', name: 'w' });
  await threeEvents;
  controller.abort();
  assert.equal(seen, ['ADDED w', 'MODIFIED w', 'DELETED w']);
});

test.run();
