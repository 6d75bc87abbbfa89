import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { diffLive } from '../../lib/diff/index.ts';
import { applyRestore, hasWrites, planRestore, type RestorePlan } from '../../lib/restore/index.ts';
import { kubectlOk, startRestoreCluster, type RestoreCluster } from './restore-setup.ts';

const restore = suite<{ cluster: RestoreCluster }>('restore');

restore.before(async (context) => {
  context.cluster = await startRestoreCluster();
  assert.ok(await context.cluster.snapshot());
});

restore.after(async ({ cluster }) => {
  await cluster?.stop();
});

function actions(plan: RestorePlan): Record<string, string> {
  return Object.fromEntries(plan.objects.filter((o) => o.action !== 'unchanged').map((o) => [o.ref, o.action]));
}

function replicas(cluster: RestoreCluster, namespace: string, name: string): unknown {
  return (cluster.sim.get('apps', 'deployments', namespace, name)?.spec as { replicas?: number }).replicas;
}

restore('right after a snapshot the plan has every object unchanged and no writes', async ({ cluster }) => {
  const plan = await planRestore({ client: cluster.client, repository: cluster.repository, prune: true });
  assert.equal(actions(plan), {});
  assert.ok(plan.objects.length > 20, `only ${plan.objects.length} objects planned`);
  assert.not.ok(hasWrites(plan));
});

restore(
  'edits, deletions and additions are undone; --prune deletes additions but never what policy skips',
  async ({ cluster }) => {
    const { sim } = cluster;
    const nodePortBefore = (sim.get('', 'services', 'shop', 'web-nodeport')!.spec as any).ports[0].nodePort;
    const clusterIPBefore = (sim.get('', 'services', 'shop', 'web')!.spec as any).clusterIP;
    await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=5');
    await cluster.kubectl('-n', 'shop', 'set', 'image', 'deployment/web', 'web=registry.example.com/shop/web:v9');
    await cluster.kubectl('-n', 'shop', 'label', 'service', 'web-nodeport', 'drift=yes');
    await cluster.kubectl('-n', 'shop', 'label', 'service', 'web', 'drift=yes');
    await cluster.kubectl('-n', 'shop', 'delete', 'configmap', 'web-config');
    await cluster.kubectl('-n', 'shop', 'delete', 'widgets.example.com', 'blue');
    await cluster.kubectl('-n', 'shop', 'create', 'configmap', 'extra', '--from-literal=a=b');
    // Objects kubesnap leaves out by policy: owned by a controller, an Event; plus the cluster's kube-root-ca.crt and Helm's release Secret.
    const owned = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'owned-by-rs',
        namespace: 'shop',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: 'web-123',
            uid: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
            controller: true,
          },
        ],
      },
      data: { x: 'y' },
    };
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.1', namespace: 'shop' },
      involvedObject: { kind: 'Deployment', name: 'web', namespace: 'shop' },
      reason: 'Test',
      message: 'hello',
    };
    for (const object of [owned, event]) await kubectlOk(sim, ['create', '-f', '-'], JSON.stringify(object));

    const plan = await planRestore({ client: cluster.client, repository: cluster.repository, prune: true });
    assert.equal(actions(plan), {
      'ConfigMap/shop/web-config': 'create',
      'Widget/shop/blue': 'create',
      'Deployment/shop/web': 'update',
      'Service/shop/web': 'update',
      'Service/shop/web-nodeport': 'update',
      'ConfigMap/shop/extra': 'delete',
    });
    const web = plan.objects.find((o) => o.ref === 'Deployment/shop/web')!;
    assert.equal(web.fields.map((f) => f.path).sort(), ['spec.replicas', 'spec.template.spec.containers[web].image']);
    assert.ok(
      web.livePatch[0].op === 'test' && web.livePatch[0].path === '/metadata/resourceVersion',
      'the patch starts with a resourceVersion test',
    );
    // Dependency order: the ConfigMap before the Deployment, the CRD's object after both.
    const order = plan.objects.map((o) => o.ref);
    assert.ok(order.indexOf('ConfigMap/shop/web-config') < order.indexOf('Deployment/shop/web'));

    const result = await applyRestore(plan, { client: cluster.client });
    assert.equal(
      { ...result.counts, unchanged: 0 },
      { created: 2, updated: 3, unchanged: 0, deleted: 1, failed: 0, notRestored: 0 },
    );
    assert.is(replicas(cluster, 'shop', 'web'), 2);
    assert.ok(sim.get('', 'configmaps', 'shop', 'web-config'));
    assert.ok(sim.get('example.com', 'widgets', 'shop', 'blue'));
    assert.not.ok(sim.get('', 'configmaps', 'shop', 'extra'));
    for (const [resource, name] of [
      ['configmaps', 'owned-by-rs'],
      ['configmaps', 'kube-root-ca.crt'],
      ['events', 'web.1'],
    ]) {
      assert.ok(sim.get('', resource, 'shop', name), `${resource}/${name} was pruned`);
    }
    assert.ok(
      sim.get('', 'secrets', 'payments', 'sh.helm.release.v1.dashboards.v1'),
      'the Helm release Secret was pruned',
    );
    assert.ok(sim.get('', 'serviceaccounts', 'shop', 'default'));
    // What the cluster assigned is left as it was.
    assert.is((sim.get('', 'services', 'shop', 'web-nodeport')!.spec as any).ports[0].nodePort, nodePortBefore);
    assert.is((sim.get('', 'services', 'shop', 'web')!.spec as any).clusterIP, clusterIPBefore);
    assert.is(sim.get('', 'services', 'shop', 'web')!.metadata.labels?.drift, undefined);

    const drift = await diffLive({ client: cluster.client, repository: cluster.repository });
    assert.equal(
      drift.objects.map((o) => `${o.path}: ${o.fields.map((f) => f.path).join(', ')}`),
      [],
    );
  },
);

restore('a second restore plans no writes and makes none', async ({ cluster }) => {
  const before = cluster.sim.resourceVersion;
  const plan = await planRestore({ client: cluster.client, repository: cluster.repository, prune: true });
  assert.equal(actions(plan), {});
  const result = await applyRestore(plan, { client: cluster.client });
  assert.is(result.counts.unchanged, plan.objects.length);
  assert.is(cluster.sim.resourceVersion, before);
});

restore('a server-side dry run validates every write and changes nothing', async ({ cluster }) => {
  await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=4');
  await cluster.kubectl('-n', 'shop', 'delete', 'configmap', 'web-config');
  await cluster.kubectl('-n', 'shop', 'create', 'configmap', 'extra', '--from-literal=a=b');
  const before = cluster.sim.resourceVersion;
  const plan = await planRestore({ client: cluster.client, repository: cluster.repository, prune: true });
  const result = await applyRestore(plan, { client: cluster.client, dryRun: 'server' });
  assert.equal(
    { ...result.counts, unchanged: 0 },
    { created: 1, updated: 1, unchanged: 0, deleted: 1, failed: 0, notRestored: 0 },
  );
  assert.is(result.dryRun, 'server');
  assert.is(cluster.sim.resourceVersion, before);
  assert.is(replicas(cluster, 'shop', 'web'), 4);
  assert.not.ok(cluster.sim.get('', 'configmaps', 'shop', 'web-config'));
  assert.ok(cluster.sim.get('', 'configmaps', 'shop', 'extra'));
});

restore('--at restores the last commit at or before a time; HEAD the newest', async ({ cluster }) => {
  // The first snapshot was at 10:01, this one at 10:02 (replicas 4, no web-config, an extra ConfigMap).
  assert.ok(await cluster.snapshot());
  const atFirst = await planRestore({
    client: cluster.client,
    repository: cluster.repository,
    revision: { at: new Date('2026-11-20T10:01:30Z') },
    prune: true,
  });
  assert.equal(actions(atFirst), {
    'ConfigMap/shop/web-config': 'create',
    'Deployment/shop/web': 'update',
    'ConfigMap/shop/extra': 'delete',
  });
  assert.is(atFirst.revision.label, '@2026-11-20T10:01:30Z');
  await applyRestore(atFirst, { client: cluster.client });
  assert.is(replicas(cluster, 'shop', 'web'), 2);

  const head = await planRestore({ client: cluster.client, repository: cluster.repository, prune: true });
  assert.equal(actions(head), {
    'ConfigMap/shop/web-config': 'delete',
    'Deployment/shop/web': 'update',
    'ConfigMap/shop/extra': 'create',
  });
  await applyRestore(head, { client: cluster.client });
  assert.is(replicas(cluster, 'shop', 'web'), 4);
});

restore('filters: -n and kinds restrict what is planned, labels too', async ({ cluster }) => {
  await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=7');
  await cluster.kubectl('-n', 'payments', 'scale', 'deployment/api', '--replicas=7');
  await cluster.kubectl('-n', 'payments', 'create', 'configmap', 'stray', '--from-literal=a=b');
  const plan = await planRestore({
    client: cluster.client,
    repository: cluster.repository,
    prune: true,
    selection: { namespaces: ['payments'], include: ['deploy'] },
  });
  assert.equal(actions(plan), { 'Deployment/payments/api': 'update' });
  assert.ok(plan.objects.every((o) => o.namespace === 'payments' && o.kind === 'Deployment'));
  await applyRestore(plan, { client: cluster.client });
  assert.is(replicas(cluster, 'shop', 'web'), 7);
  assert.is(replicas(cluster, 'payments', 'api'), 3);
  assert.ok(cluster.sim.get('', 'configmaps', 'payments', 'stray'));

  const byLabel = await planRestore({
    client: cluster.client,
    repository: cluster.repository,
    selection: { labelSelector: 'tier=frontend' },
  });
  assert.equal(actions(byLabel), { 'Deployment/shop/web': 'update' });
  assert.ok(byLabel.objects.every((o) => o.ref.includes('/shop/')));
});

restore('--image-registry-map restores onto mirrored images; a second run changes nothing', async ({ cluster }) => {
  const map = [{ from: 'registry.example.com', to: 'mirror.internal:5000' }];
  const plan = await planRestore({
    client: cluster.client,
    repository: cluster.repository,
    selection: { namespaces: ['shop'], include: ['deploy'] },
    imageRegistryMap: map,
  });
  const web = plan.objects.find((o) => o.ref === 'Deployment/shop/web')!;
  assert.is(web.action, 'update');
  const imageChange = web.fields.find((f) => f.path === 'spec.template.spec.containers[web].image')!;
  assert.match(String(imageChange.after), /^mirror\.internal:5000\/shop\/web:/);
  await applyRestore(plan, { client: cluster.client });
  const image = (cluster.sim.get('apps', 'deployments', 'shop', 'web')!.spec as any).template.spec.containers[0]
    .image as string;
  assert.match(image, /^mirror\.internal:5000\/shop\/web:/);
  const again = await planRestore({
    client: cluster.client,
    repository: cluster.repository,
    selection: { namespaces: ['shop'], include: ['deploy'] },
    imageRegistryMap: map,
  });
  assert.not.ok(hasWrites(again));
});

restore.run();
