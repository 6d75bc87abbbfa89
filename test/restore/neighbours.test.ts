// Restore knows its neighbours: what controllers the user keeps own is left to them, and a workload
// restored without what its pods need says so in the plan.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planRestore, type PlannedObject, type RestorePlan } from '../../lib/restore/index.ts';
import { kubectlOk, startRestoreCluster, type RestoreCluster } from './restore-setup.ts';

const neighbours = suite<{ cluster: RestoreCluster }>('restore and its neighbours');

const autoscaler = JSON.stringify({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10 },
});

function planned(plan: RestorePlan, ref: string): PlannedObject {
  const object = plan.objects.find((o) => o.ref === ref);
  assert.ok(object, `${ref} is not in the plan`);
  return object!;
}

neighbours.before.each(async (context) => {
  context.cluster = await startRestoreCluster();
  await context.cluster.snapshot();
});

neighbours.after.each(async ({ cluster }) => {
  await cluster?.stop();
});

neighbours("an HPA's target keeps the replicas the HPA set; --force-conflicts restores them", async ({ cluster }) => {
  await kubectlOk(cluster.sim, ['create', '-f', '-'], autoscaler);
  await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=5');

  const plan = await planRestore({
    client: cluster.client,
    repository: cluster.repository,
    selection: { namespaces: ['shop'] },
  });
  const web = planned(plan, 'Deployment/shop/web');
  assert.is(web.action, 'unchanged');
  assert.equal(web.warnings, [
    'spec.replicas is left as it is live (5; the revision has 2): HorizontalPodAutoscaler/shop/web manages it; --force-conflicts restores it.',
  ]);

  const forced = await planRestore({
    client: cluster.client,
    repository: cluster.repository,
    selection: { namespaces: ['shop'] },
    forceConflicts: true,
  });
  assert.is(planned(forced, 'Deployment/shop/web').action, 'update');
  assert.equal(
    planned(forced, 'Deployment/shop/web').fields.map((f) => f.path),
    ['spec.replicas'],
  );
});

neighbours(
  'fields a cluster manager owns per managedFields are left to it unless --force-conflicts',
  async ({ cluster }) => {
    await cluster.kubectl(
      '-n',
      'shop',
      'patch',
      'deployment',
      'web',
      '--type=merge',
      '-p',
      '{"spec":{"minReadySeconds":7}}',
      '--field-manager=kube-controller-manager',
    );
    await cluster.kubectl('-n', 'shop', 'label', 'deployment', 'web', 'drift=yes');

    const plan = await planRestore({
      client: cluster.client,
      repository: cluster.repository,
      selection: { namespaces: ['shop'] },
    });
    const web = planned(plan, 'Deployment/shop/web');
    assert.is(web.action, 'update');
    assert.equal(
      web.fields.map((f) => f.path),
      ['metadata.labels.drift'],
      'the label kubectl added is restored',
    );
    assert.equal(web.warnings, [
      'spec.minReadySeconds is left as it is live (7; the revision has it unset): kube-controller-manager manages it; --force-conflicts restores it.',
    ]);

    const forced = await planRestore({
      client: cluster.client,
      repository: cluster.repository,
      selection: { namespaces: ['shop'] },
      forceConflicts: true,
    });
    assert.equal(
      planned(forced, 'Deployment/shop/web')
        .fields.map((f) => f.path)
        .sort(),
      ['metadata.labels.drift', 'spec.minReadySeconds'],
    );
    assert.equal(planned(forced, 'Deployment/shop/web').warnings, []);
  },
);

neighbours(
  'a workload whose pods need a redacted Secret, a missing ConfigMap or ServiceAccount is restored with a warning in the plan',
  async ({ cluster }) => {
    await cluster.kubectl(
      '-n',
      'shop',
      'patch',
      'deployment',
      'web',
      '--type=json',
      '-p',
      JSON.stringify([
        {
          op: 'add',
          path: '/spec/template/spec/containers/0/envFrom/-',
          value: { secretRef: { name: 'web-credentials' } },
        },
        {
          op: 'add',
          path: '/spec/template/spec/volumes',
          value: [{ name: 'extra', configMap: { name: 'optional-extra', optional: true } }],
        },
      ]),
    );
    await cluster.snapshot();
    await cluster.kubectl('-n', 'shop', 'delete', 'secret', 'web-credentials');
    await cluster.kubectl('-n', 'shop', 'delete', 'configmap', 'web-config');
    await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=4');
    await cluster.kubectl('-n', 'payments', 'delete', 'serviceaccount', 'api');
    await cluster.kubectl('-n', 'payments', 'scale', 'deployment/api', '--replicas=1');

    const restore = (...args: string[]) => cluster.kubesnap(['restore', ...args]);
    const shop = await restore('-n', 'shop', '--include', 'deployments', '--include', 'secrets', '--dry-run');
    assert.is(shop.code, 1, 'the redacted Secret cannot be restored');
    assert.match(
      shop.stdout,
      /\n  ~ update Deployment\/shop\/web\n {8}spec\.replicas: 4 → 2\n {8}warning: its pods need ConfigMap\/shop\/web-config, which is missing from the cluster and not restored with it\.\n {8}warning: its pods need Secret\/shop\/web-credentials, which this restore cannot put back: cannot restore redacted values/,
    );
    assert.not.ok(shop.stdout.includes('optional-extra'), 'an optional reference is no warning');

    const payments = await restore('-n', 'payments', '--include', 'deployments', '--dry-run', '-o', 'json');
    assert.is(payments.code, 0, payments.stderr);
    const api = JSON.parse(payments.stdout).plan.find((o: { ref: string }) => o.ref === 'Deployment/payments/api');
    assert.equal(api.warnings, [
      'its pods need ServiceAccount/payments/api, which is missing from the cluster and not restored with it.',
    ]);
  },
);

neighbours.run();
