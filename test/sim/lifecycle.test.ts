// Object lifecycles on the simulator: finalizers, namespace deletion, CRDs, subresources, paging snapshots, seeding.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type KubeObject, type Simulator } from '../../lib/sim/index.ts';
import { call, watch } from './http.ts';

let sim: Simulator;

test.before(async () => {
  sim = await startSimulator({ historySize: 100 });
  sim.seedYaml(`
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
`);
});

test.after(async () => {
  await sim.stop();
});

test('an object with finalizers gets a deletionTimestamp and stays until they are removed', async () => {
  const path = '/api/v1/namespaces/shop/configmaps';
  await call(sim, 'POST', path, {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } },
  });
  const deleting = await call(sim, 'DELETE', `${path}/held`);
  assert.is(deleting.status, 200);
  assert.ok(deleting.json.metadata.deletionTimestamp);
  assert.ok(sim.get('', 'configmaps', 'shop', 'held')?.metadata.deletionTimestamp);
  const released = await call(sim, 'PATCH', `${path}/held`, {
    body: { metadata: { finalizers: null } },
    contentType: 'application/merge-patch+json',
  });
  assert.is(released.status, 200);
  assert.is(sim.get('', 'configmaps', 'shop', 'held'), undefined);
});

test('deleting an owner collects its dependents (cascading), unless propagationPolicy=Orphan', async () => {
  await call(sim, 'POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gc' } },
  });
  const owner = async (name: string) =>
    (
      await call(sim, 'POST', '/api/v1/namespaces/gc/configmaps', {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } },
      })
    ).json;
  const dependent = async (name: string, of: any) =>
    call(sim, 'POST', '/api/v1/namespaces/gc/secrets', {
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name,
          ownerReferences: [
            { apiVersion: 'v1', kind: 'ConfigMap', name: of.metadata.name, uid: of.metadata.uid, controller: true },
          ],
        },
      },
    });
  const parent = await owner('gc-parent');
  await dependent('gc-child', parent);
  const child = sim.get('', 'secrets', 'gc', 'gc-child')!;
  await call(sim, 'POST', '/api/v1/namespaces/gc/configmaps', {
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'gc-grandchild',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Secret', name: 'gc-child', uid: child.metadata.uid }],
      },
    },
  });
  await call(sim, 'DELETE', '/api/v1/namespaces/gc/configmaps/gc-parent');
  await new Promise((r) => setTimeout(r, 50));
  assert.is(sim.get('', 'secrets', 'gc', 'gc-child'), undefined);
  assert.is(sim.get('', 'configmaps', 'gc', 'gc-grandchild'), undefined);

  const kept = await owner('gc-kept');
  await dependent('gc-orphan', kept);
  await call(sim, 'DELETE', '/api/v1/namespaces/gc/configmaps/gc-kept?propagationPolicy=Orphan');
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(sim.get('', 'secrets', 'gc', 'gc-orphan'));
});

test('generation counts spec changes only; status and scale subresources write only their part', async () => {
  const path = '/apis/apps/v1/namespaces/shop/deployments/web';
  assert.is(sim.get('apps', 'deployments', 'shop', 'web')?.metadata.generation, 1);
  await call(sim, 'PATCH', path, {
    body: { metadata: { labels: { extra: 'yes' } } },
    contentType: 'application/merge-patch+json',
  });
  assert.is(sim.get('apps', 'deployments', 'shop', 'web')?.metadata.generation, 1);
  await call(sim, 'PATCH', path, {
    body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } },
    contentType: 'application/strategic-merge-patch+json',
  });
  assert.is(sim.get('apps', 'deployments', 'shop', 'web')?.metadata.generation, 2);

  const status = await call(sim, 'PATCH', `${path}/status?fieldManager=kube-controller-manager`, {
    body: { status: { replicas: 2, readyReplicas: 2 }, spec: { replicas: 9 } },
    contentType: 'application/merge-patch+json',
  });
  assert.is(status.status, 200);
  const afterStatus = sim.get('apps', 'deployments', 'shop', 'web')!;
  assert.equal(afterStatus.status, { replicas: 2, readyReplicas: 2 });
  assert.is((afterStatus.spec as any).replicas, 2, 'the status subresource ignores spec');
  const ignored = await call(sim, 'PATCH', path, {
    body: { status: { replicas: 7 } },
    contentType: 'application/merge-patch+json',
  });
  assert.is(ignored.json.status.replicas, 2, 'the main resource ignores status');

  const scale = await call(sim, 'GET', `${path}/scale`);
  assert.equal(scale.json.spec, { replicas: 2 });
  assert.equal(scale.json.status, { replicas: 2, selector: 'app=web' });
  assert.is(scale.json.apiVersion, 'autoscaling/v1');
  const scaled = await call(sim, 'PUT', `${path}/scale`, { body: { ...scale.json, spec: { replicas: 4 } } });
  assert.is(scaled.json.spec.replicas, 4);
  assert.is((sim.get('apps', 'deployments', 'shop', 'web')?.spec as any).replicas, 4);
  const stale = await call(sim, 'PUT', `${path}/scale`, { body: { ...scale.json, spec: { replicas: 5 } } });
  assert.is(stale.status, 409);
});

test('DELETE on a collection deletes what the selector matches', async () => {
  for (const name of ['a', 'b', 'c']) {
    await call(sim, 'POST', '/api/v1/namespaces/shop/configmaps', {
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `dc-${name}`, labels: { batch: name === 'c' ? 'keep' : 'drop' } },
      },
    });
  }
  const response = await call(sim, 'DELETE', '/api/v1/namespaces/shop/configmaps?labelSelector=batch%3Ddrop');
  assert.is(response.status, 200);
  assert.is(response.json.kind, 'ConfigMapList');
  assert.equal(
    response.json.items.map((i: KubeObject) => i.metadata.name),
    ['dc-a', 'dc-b'],
  );
  assert.equal(
    sim.list('', 'configmaps', 'shop', { labelSelector: 'batch' }).map((o) => o.metadata.name),
    ['dc-c'],
  );
});

test('create-only kinds answer with the object and store nothing', async () => {
  const review = await call(sim, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec: { token: 'abc' } },
  });
  assert.is(review.status, 201);
  assert.is(review.json.kind, 'TokenReview');
  assert.is((await call(sim, 'GET', '/apis/authentication.k8s.io/v1/tokenreviews')).status, 405);
});

test('an update that changes nothing (keys in another order) keeps the resourceVersion and sends no event', async () => {
  const path = '/api/v1/namespaces/shop/configmaps';
  const created = await call(sim, 'POST', path, {
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'same', labels: { a: '1', b: '2' } },
      data: { x: '1', y: '2' },
    },
  });
  const reordered = {
    data: { y: '2', x: '1' },
    metadata: { ...created.json.metadata, labels: { b: '2', a: '1' } },
    kind: 'ConfigMap',
    apiVersion: 'v1',
  };
  const updated = await call(sim, 'PUT', `${path}/same`, { body: reordered });
  assert.is(updated.status, 200);
  assert.is(updated.json.metadata.resourceVersion, created.json.metadata.resourceVersion);
});

test('an immutable ConfigMap takes a PUT with its data keys in another order, and refuses one that changes them', async () => {
  const path = '/api/v1/namespaces/shop/configmaps';
  const created = await call(sim, 'POST', path, {
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'frozen' },
      immutable: true,
      data: { x: '1', y: '2' },
    },
  });
  const put = (data: Record<string, string>) =>
    call(sim, 'PUT', `${path}/frozen`, {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: created.json.metadata, immutable: true, data },
    });
  assert.is((await put({ y: '2', x: '1' })).status, 200);
  const changed = await put({ x: '1', y: '3' });
  assert.is(changed.status, 422);
  assert.match(changed.json.message, /field is immutable/);
});

test('generateName makes a unique name; a PUT to a missing object is 404', async () => {
  const made = await call(sim, 'POST', '/api/v1/namespaces/shop/configmaps', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } },
  });
  assert.match(made.json.metadata.name, /^gen-[a-z0-9]{5}$/);
  const missing = await call(sim, 'PUT', '/api/v1/namespaces/shop/configmaps/absent', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'absent' } },
  });
  assert.is(missing.status, 404);
});

test('paging reads a consistent snapshot; a continue token older than the history is 410 Expired', async () => {
  for (let i = 0; i < 6; i++)
    await call(sim, 'POST', '/api/v1/namespaces/shop/secrets', {
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${i}` }, stringData: { k: String(i) } },
    });
  const first = await call(sim, 'GET', '/api/v1/namespaces/shop/secrets?limit=2');
  assert.equal(
    first.json.items.map((i: KubeObject) => i.metadata.name),
    ['s0', 's1'],
  );
  assert.is(first.json.metadata.remainingItemCount, 4);
  await call(sim, 'DELETE', '/api/v1/namespaces/shop/secrets/s3');
  await call(sim, 'POST', '/api/v1/namespaces/shop/secrets', {
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's2a' } },
  });
  const second = await call(
    sim,
    'GET',
    `/api/v1/namespaces/shop/secrets?limit=2&continue=${encodeURIComponent(first.json.metadata.continue)}`,
  );
  assert.equal(
    second.json.items.map((i: KubeObject) => i.metadata.name),
    ['s2', 's3'],
    'the page shows the list as it was',
  );
  assert.is(second.json.metadata.resourceVersion, first.json.metadata.resourceVersion);
  sim.faults.compactHistory();
  const expired = await call(
    sim,
    'GET',
    `/api/v1/namespaces/shop/secrets?limit=2&continue=${encodeURIComponent(second.json.metadata.continue)}`,
  );
  assert.is(expired.status, 410);
  assert.is(expired.json.reason, 'Expired');
});

test('a CRD serves every served version, cluster-scoped ones too, and takes its objects with it when deleted', async () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gadgets.example.org' },
    spec: {
      group: 'example.org',
      scope: 'Cluster',
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
      versions: [
        { name: 'v1beta1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object' } },
          subresources: { status: {} },
        },
      ],
    },
  };
  const created = await call(sim, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd });
  assert.is(created.status, 201);
  const conditions = Object.fromEntries(created.json.status.conditions.map((c: any) => [c.type, c.status]));
  assert.equal(conditions, { NamesAccepted: 'True', Established: 'True' });
  const groups = await call(sim, 'GET', '/apis');
  assert.equal(groups.json.groups.find((g: any) => g.name === 'example.org').preferredVersion.version, 'v1');
  const resources = await call(sim, 'GET', '/apis/example.org/v1');
  assert.equal(
    resources.json.resources.map((r: any) => [r.name, r.namespaced]),
    [
      ['gadgets', false],
      ['gadgets/status', false],
    ],
  );

  const made = await call(sim, 'POST', '/apis/example.org/v1beta1/gadgets', {
    body: { apiVersion: 'example.org/v1beta1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { a: 1 } },
  });
  assert.is(made.status, 201);
  assert.is(made.json.metadata.generation, 1);
  const asV1 = await call(sim, 'GET', '/apis/example.org/v1/gadgets/g1');
  assert.is(asV1.json.apiVersion, 'example.org/v1');
  assert.equal(asV1.json.spec, { a: 1 });

  const stream = await watch(sim, `/apis/example.org/v1/gadgets?watch=1&resourceVersion=${sim.resourceVersion}`);
  const deleted = await call(
    sim,
    'DELETE',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.org',
  );
  assert.is(deleted.status, 200);
  assert.is(await stream.ended, 'end', 'watches of the custom resource end with its CRD');
  assert.equal(
    stream.events.map((e) => [e.type, e.object.metadata.name]),
    [['DELETED', 'g1']],
  );
  assert.is((await call(sim, 'GET', '/apis/example.org/v1/gadgets')).status, 404);
  assert.ok(!(await call(sim, 'GET', '/apis')).json.groups.some((g: any) => g.name === 'example.org'));
  assert.equal(sim.list('example.org', 'gadgets'), []);
});

test('deleting a namespace makes it Terminating, then removes it and everything in it', async () => {
  await call(sim, 'POST', '/api/v1/namespaces', {
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } },
  });
  await call(sim, 'POST', '/api/v1/namespaces/doomed/configmaps', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
  });
  const response = await call(sim, 'DELETE', '/api/v1/namespaces/doomed');
  assert.is(response.status, 200);
  assert.is(response.json.status.phase, 'Terminating');
  const refused = await call(sim, 'POST', '/api/v1/namespaces/doomed/configmaps', {
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } },
  });
  assert.ok([403, 404].includes(refused.status));
  await new Promise((r) => setTimeout(r, 50));
  assert.is(sim.get('', 'namespaces', undefined, 'doomed'), undefined);
  assert.equal(sim.list('', 'configmaps', 'doomed'), []);
  assert.equal(sim.list('', 'serviceaccounts', 'doomed'), []);
});

test('Table responses for kubectl: columns, rows and PartialObjectMetadata', async () => {
  const response = await call(sim, 'GET', '/api/v1/namespaces/shop/secrets?limit=2', {
    accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
  });
  assert.is(response.json.kind, 'Table');
  assert.equal(
    response.json.columnDefinitions.map((c: any) => c.name),
    ['Name', 'Type', 'Data', 'Age'],
  );
  assert.is(response.json.rows.length, 2);
  assert.is(response.json.rows[0].object.kind, 'PartialObjectMetadata');
  assert.ok(response.json.metadata.continue);
});

test('seeding a recorded object keeps its uid, timestamps, managedFields and status', async () => {
  const recorded = JSON.parse(
    readFileSync(new URL('../fixtures/apiserver/objects/shop_deployments.apps_web.json', import.meta.url), 'utf8'),
  );
  sim.seed([{ ...recorded, metadata: { ...recorded.metadata, name: 'recorded' } }]);
  const seeded = sim.get('apps', 'deployments', 'shop', 'recorded')!;
  assert.is(seeded.metadata.uid, recorded.metadata.uid);
  assert.is(seeded.metadata.creationTimestamp, recorded.metadata.creationTimestamp);
  assert.is(seeded.metadata.generation, recorded.metadata.generation);
  assert.equal(seeded.metadata.managedFields, recorded.metadata.managedFields);
  assert.equal(seeded.status, recorded.status);
  assert.is.not(seeded.metadata.resourceVersion, recorded.metadata.resourceVersion);
});

test.run();
