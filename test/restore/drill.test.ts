import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { diffLive } from '../../lib/diff/index.ts';
import { applyRestore, hasWrites, planRestore } from '../../lib/restore/index.ts';
import { startSimulator } from '../../lib/sim/index.ts';
import { connect, startRestoreCluster, type RestoreCluster } from './restore-setup.ts';

const drill = suite<{ cluster: RestoreCluster }>('restore drills');

drill.before(async (context) => {
  context.cluster = await startRestoreCluster();
  assert.ok(await context.cluster.snapshot());
});

drill.after(async ({ cluster }) => {
  await cluster?.stop();
});

const toDrill = new Map([['shop', 'shop-drill']]);

function versionsIn(cluster: RestoreCluster, namespace: string): string[] {
  return ['configmaps', 'secrets', 'services', 'serviceaccounts']
    .flatMap((resource) => cluster.sim.list('', resource, namespace))
    .concat(
      cluster.sim.list('apps', 'deployments', namespace),
      cluster.sim.list('rbac.authorization.k8s.io', 'rolebindings', namespace),
    )
    .map((o) => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion}`)
    .sort();
}

drill('--namespace-map restores shop into shop-drill, creating it, and leaves shop alone', async ({ cluster }) => {
  const production = versionsIn(cluster, 'shop');
  const plan = await planRestore({
    client: cluster.client,
    repository: cluster.repository,
    selection: { namespaces: ['shop'] },
    namespaceMap: toDrill,
  });
  assert.ok(
    plan.objects.every((o) => o.namespace === 'shop-drill' || o.ref === 'Namespace/shop-drill'),
    plan.objects.map((o) => o.ref).join(' '),
  );
  assert.is(plan.objects.find((o) => o.ref === 'Namespace/shop-drill')?.action, 'create');
  assert.is(plan.objects.find((o) => o.ref === 'Deployment/shop-drill/web')?.action, 'create');
  // The redacted Secret cannot be created from digests; everything else is.
  assert.is(plan.objects.find((o) => o.ref === 'Secret/shop-drill/web-credentials')?.action, 'blocked');

  const result = await applyRestore(plan, { client: cluster.client });
  assert.is(result.counts.failed, 0, JSON.stringify(result.objects.filter((o) => o.outcome === 'failed')));
  assert.is(result.counts.notRestored, 1);
  assert.ok(cluster.sim.get('apps', 'deployments', 'shop-drill', 'web'));
  assert.ok(cluster.sim.get('example.com', 'widgets', 'shop-drill', 'blue'));
  const binding = cluster.sim.get(
    'rbac.authorization.k8s.io',
    'rolebindings',
    'shop-drill',
    'web-config-reader',
  ) as any;
  assert.equal(binding.subjects, [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop-drill' }]);
  assert.is(cluster.sim.get('', 'namespaces', undefined, 'shop-drill')!.metadata.labels?.team, 'storefront');
  assert.equal(versionsIn(cluster, 'shop'), production);

  const again = await planRestore({
    client: cluster.client,
    repository: cluster.repository,
    selection: { namespaces: ['shop'] },
    namespaceMap: toDrill,
  });
  assert.equal(
    again.objects.filter((o) => o.action !== 'unchanged').map((o) => `${o.ref} ${o.action}`),
    ['Secret/shop-drill/web-credentials blocked'],
  );
  assert.not.ok(hasWrites(again));
});

drill('--prune with a map prunes the target namespace only', async ({ cluster }) => {
  await cluster.kubectl('-n', 'shop-drill', 'create', 'configmap', 'stray', '--from-literal=a=b');
  await cluster.kubectl('-n', 'shop', 'create', 'configmap', 'stray', '--from-literal=a=b');
  const plan = await planRestore({
    client: cluster.client,
    repository: cluster.repository,
    selection: { namespaces: ['shop'] },
    namespaceMap: toDrill,
    prune: true,
  });
  assert.equal(
    plan.objects.filter((o) => o.action === 'delete').map((o) => o.ref),
    ['ConfigMap/shop-drill/stray'],
  );
  await applyRestore(plan, { client: cluster.client });
  assert.not.ok(cluster.sim.get('', 'configmaps', 'shop-drill', 'stray'));
  assert.ok(cluster.sim.get('', 'configmaps', 'shop', 'stray'));

  // Without -n, a map still never prunes the namespace it maps away from.
  const whole = await planRestore({
    client: cluster.client,
    repository: cluster.repository,
    namespaceMap: toDrill,
    prune: true,
  });
  assert.not.ok(
    whole.objects.some((o) => o.action === 'delete' && (o.namespace === 'shop' || o.ref === 'Namespace/shop')),
  );
});

drill('a CRD and its objects are restored into an empty cluster', async ({ cluster }) => {
  const empty = await startSimulator();
  const client = await connect(empty);
  try {
    assert.not.ok(empty.get('apiextensions.k8s.io', 'customresourcedefinitions', undefined, 'widgets.example.com'));
    const plan = await planRestore({ client, repository: cluster.repository });
    const crd = plan.objects.find((o) => o.kind === 'CustomResourceDefinition')!;
    const widget = plan.objects.find((o) => o.ref === 'Widget/shop/blue')!;
    assert.is(widget.action, 'create');
    assert.ok(crd.step < plan.objects.find((o) => o.ref === 'Namespace/shop')!.step);
    assert.ok(plan.objects.indexOf(crd) < plan.objects.indexOf(widget));

    const result = await applyRestore(plan, { client });
    assert.equal(
      result.objects.filter((o) => o.outcome === 'failed'),
      [],
    );
    assert.is(result.counts.notRestored, 1, 'the redacted Secret');
    assert.equal(empty.get('example.com', 'widgets', 'shop', 'blue')!.spec as any, { color: 'blue', size: 3 });
    assert.ok(empty.get('apps', 'deployments', 'payments', 'api'));
    assert.ok(empty.get('', 'persistentvolumes', undefined, 'local-pv-1'));

    const drift = await diffLive({ client, repository: cluster.repository });
    assert.equal(
      drift.objects.map((o) => `${o.change} ${o.path}`),
      ['deleted shop/secrets/web-credentials.yaml'],
    );
    const again = await planRestore({ client, repository: cluster.repository });
    assert.not.ok(hasWrites(again));
  } finally {
    client.close();
    await empty.stop();
  }
});

drill.run();
