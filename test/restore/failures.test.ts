import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { KubeClient, type RequestOptions } from '../../lib/kube/index.ts';
import { applyRestore, planRestore, type RestoreResult } from '../../lib/restore/index.ts';
import { kubectlOk, startRestoreCluster, type RestoreCluster } from './restore-setup.ts';

const failures = suite<{ cluster: RestoreCluster }>('restore failures');

failures.before(async (context) => {
  context.cluster = await startRestoreCluster();
  assert.ok(await context.cluster.snapshot());
});

failures.after(async ({ cluster }) => {
  await cluster?.stop();
});

/** A client that lets a test act just before a matching request goes out (a concurrent writer, a server's refusal). */
class InterceptingClient extends KubeClient {
  constructor(
    from: KubeClient,
    private readonly before: (method: string, path: string) => Promise<void>,
  ) {
    super(from.connection);
  }
  override async json<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    await this.before(method, path);
    return super.json<T>(method, path, options);
  }
}

function resultOf(result: RestoreResult, ref: string) {
  return result.objects.find((o) => o.ref === ref)!;
}

function deployment(cluster: RestoreCluster) {
  return cluster.sim.get('apps', 'deployments', 'shop', 'web')! as any;
}

failures(
  'an object changed after planning is read again and re-planned, and the result says so',
  async ({ cluster }) => {
    await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=5');
    const plan = await planRestore({ client: cluster.client, repository: cluster.repository });
    await cluster.kubectl(
      '-n',
      'shop',
      'set',
      'image',
      'deployment/web',
      'web=registry.example.com/shop/web:concurrent',
    );
    const result = await applyRestore(plan, { client: cluster.client });
    const web = resultOf(result, 'Deployment/shop/web');
    assert.is(web.outcome, 'updated');
    assert.ok(web.replanned);
    assert.match(web.message!, /Deployment\/shop\/web: changed during the restore/);
    assert.is(deployment(cluster).spec.replicas, 2);
    assert.is(deployment(cluster).spec.template.spec.containers[0].image, 'registry.example.com/shop/web:v1');
  },
);

failures('a change made again while re-planning is a conflict, and the concurrent write stays', async ({ cluster }) => {
  await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=5');
  const plan = await planRestore({ client: cluster.client, repository: cluster.repository });
  let writes = 0;
  const racing = new InterceptingClient(cluster.client, async (method, path) => {
    if (method === 'PATCH' && path.endsWith('/deployments/web')) {
      await cluster.kubectl('-n', 'shop', 'annotate', '--overwrite', 'deployment/web', `racer=${++writes}`);
    }
  });
  try {
    const result = await applyRestore(plan, { client: racing });
    const web = resultOf(result, 'Deployment/shop/web');
    assert.is(web.outcome, 'failed');
    assert.match(
      web.message!,
      /^Deployment\/shop\/web: changed again while it was being restored; left as it is live \(conflict\)\.$/,
    );
    assert.is(result.counts.failed, 1);
  } finally {
    racing.close();
  }
  assert.is(writes, 2, 'one write, one re-planned write');
  assert.is(deployment(cluster).metadata.annotations.racer, '2');
  assert.is(deployment(cluster).spec.replicas, 5, 'nothing was overwritten');
});

failures('with a slow server, kubectl writing during the apply is never lost silently', async ({ cluster }) => {
  await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=2');
  await cluster.kubectl('-n', 'shop', 'label', 'deployment/web', 'tier=backend', '--overwrite');
  const plan = await planRestore({ client: cluster.client, repository: cluster.repository });
  cluster.sim.faults.delay(300);
  try {
    const applying = applyRestore(plan, { client: cluster.client });
    await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=6');
    const web = resultOf(await applying, 'Deployment/shop/web');
    assert.is(web.outcome, 'updated');
    // Either kubectl came first and the restore re-planned over it, saying so, or it came after the restore.
    const replicas = deployment(cluster).spec.replicas;
    if (web.replanned) assert.is(replicas, 2);
    else assert.is(replicas, 6);
    assert.is(deployment(cluster).metadata.labels.tier, 'frontend');
  } finally {
    cluster.sim.faults.clear();
  }
});

failures(
  'a redacted Secret is never written back: differing values and a missing Secret are reported, a label is restored',
  async ({ cluster }) => {
    const secret = () => cluster.sim.get('', 'secrets', 'shop', 'web-credentials') as any;
    const rotated = Buffer.from('rotated').toString('base64');
    await cluster.kubectl('-n', 'shop', 'label', 'secret', 'web-credentials', 'drift=yes');
    let plan = await planRestore({ client: cluster.client, repository: cluster.repository });
    let planned = plan.objects.find((o) => o.ref === 'Secret/shop/web-credentials')!;
    assert.is(planned.action, 'update');
    assert.equal(
      planned.livePatch.slice(1).map((op) => op.path),
      ['/metadata/labels'],
    );
    await applyRestore(plan, { client: cluster.client });
    assert.is(secret().metadata.labels, undefined);
    assert.is(secret().data.password, 'czNjcjN0LWRvLW5vdC1jb21taXQ=');

    await cluster.kubectl(
      '-n',
      'shop',
      'patch',
      'secret',
      'web-credentials',
      '--type=merge',
      '-p',
      JSON.stringify({ data: { password: rotated } }),
    );
    plan = await planRestore({ client: cluster.client, repository: cluster.repository });
    planned = plan.objects.find((o) => o.ref === 'Secret/shop/web-credentials')!;
    assert.is(planned.action, 'blocked');
    assert.match(planned.reason!, /cannot restore redacted values/);
    const result = await applyRestore(plan, { client: cluster.client });
    assert.is(resultOf(result, 'Secret/shop/web-credentials').outcome, 'not-restored');
    assert.is(secret().data.password, rotated);

    await cluster.kubectl('-n', 'shop', 'delete', 'secret', 'web-credentials');
    plan = await planRestore({ client: cluster.client, repository: cluster.repository });
    planned = plan.objects.find((o) => o.ref === 'Secret/shop/web-credentials')!;
    assert.is(planned.action, 'blocked');
    assert.match(planned.reason!, /cannot restore redacted values.*missing live/);
    await applyRestore(plan, { client: cluster.client });
    assert.is(secret(), undefined);
    assert.not.ok(JSON.stringify(plan).includes(rotated), 'no live value in the plan');
  },
);

failures(
  'a malformed manifest and an object the server rejects are each reported; the rest is applied; exit 1',
  async ({ cluster }) => {
    await cluster.repository.commitChanges(
      [
        {
          path: 'shop/configmaps/broken.yaml',
          content: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken\ndata: [',
        },
        {
          path: 'shop/configmaps/Upper.yaml',
          content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Upper\n  namespace: shop\ndata:\n  a: b\n',
        },
      ],
      {
        message: 'hand edits',
        author: { name: 'test', email: 'test@localhost', timestamp: Date.parse('2026-11-20T11:00:00Z') / 1000 },
      },
    );
    await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=4');
    const result = await cluster.kubesnap(['restore', '-n', 'shop', '--yes']);
    assert.is(result.code, 1, result.stderr);
    assert.match(
      result.stderr,
      /error: ConfigMap\/shop\/broken \(shop\/configmaps\/broken\.yaml\): its manifest is not valid YAML/,
    );
    assert.match(result.stderr, /error: ConfigMap\/shop\/Upper: .*Upper.*(invalid|Invalid)/);
    assert.match(result.stderr, /error: Secret\/shop\/web-credentials: cannot restore redacted values/);
    assert.match(result.stdout, /restore: created 0, updated 1, unchanged \d+, deleted 0, failed 2, not restored 1\n/);
    assert.is(deployment(cluster).spec.replicas, 2);
  },
);

failures(
  'an immutable field is named, with --recreate suggested; --recreate deletes and creates the object',
  async ({ cluster }) => {
    const frozen = (value: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frozen\n  namespace: shop\nimmutable: true\ndata:\n  VALUE: ${value}\n`;
    await kubectlOk(cluster.sim, ['create', '-f', '-'], frozen('before'));
    // Last in this file: the snapshot it takes becomes the baseline of anything after it.
    assert.ok(await cluster.snapshot());
    // An immutable ConfigMap can only be replaced: the server refuses any change to its data.
    await kubectlOk(cluster.sim, ['-n', 'shop', 'delete', 'configmap', 'frozen']);
    await kubectlOk(cluster.sim, ['create', '-f', '-'], frozen('after'));
    const uid = cluster.sim.get('', 'configmaps', 'shop', 'frozen')!.metadata.uid;

    const plan = await planRestore({
      client: cluster.client,
      repository: cluster.repository,
      selection: { namespaces: ['shop'], include: ['cm'] },
    });
    const refused = resultOf(await applyRestore(plan, { client: cluster.client }), 'ConfigMap/shop/frozen');
    assert.is(refused.outcome, 'failed');
    assert.is(
      refused.message,
      'ConfigMap/shop/frozen: data is immutable and differs from the revision; use --recreate to delete and create the object.',
    );
    assert.is((cluster.sim.get('', 'configmaps', 'shop', 'frozen')!.data as any).VALUE, 'after');

    const recreated = resultOf(
      await applyRestore(plan, { client: cluster.client, recreate: true }),
      'ConfigMap/shop/frozen',
    );
    assert.is(recreated.outcome, 'updated');
    assert.match(recreated.message!, /--recreate/);
    const now = cluster.sim.get('', 'configmaps', 'shop', 'frozen')!;
    assert.is((now.data as any).VALUE, 'before');
    assert.is.not(now.metadata.uid, uid, 'a new object');
  },
);

failures.run();
