import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import type { CliResult } from '../helpers/cli.ts';
import { run } from '../helpers/processes.ts';
import { startRestoreCluster, type RestoreCluster } from './restore-setup.ts';

interface Context {
  cluster: RestoreCluster;
  kubesnap(...args: string[]): Promise<CliResult>;
}

const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));
const cli = suite<Context>('kubesnap restore');

cli.before(async (context) => {
  context.cluster = await startRestoreCluster();
  assert.ok(await context.cluster.snapshot());
  context.kubesnap = (...args) => context.cluster.kubesnap(args);
  await context.cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=5');
  await context.cluster.kubectl('-n', 'shop', 'delete', 'configmap', 'web-config');
  await context.cluster.kubectl('-n', 'shop', 'create', 'configmap', 'extra', '--from-literal=a=b');
});

cli.after(async ({ cluster }) => {
  await cluster?.stop();
});

cli(
  'without a terminal and without --yes it prints the plan and refuses to write: exit 2, one sentence',
  async ({ cluster, kubesnap }) => {
    const before = cluster.sim.resourceVersion;
    const result = await kubesnap('restore', '-n', 'shop', '--prune');
    assert.is(result.code, 2, result.stderr);
    assert.is(
      result.stderr,
      'error: restore would change the cluster and there is no terminal to confirm on; pass --yes to apply (or --dry-run to only plan).\n',
    );
    assert.match(result.stdout, /^Restore plan: HEAD \([0-9a-f]{7}\) → /);
    assert.match(result.stdout, /\n  \+ create ConfigMap\/shop\/web-config\n/);
    assert.match(result.stdout, /\n  ~ update Deployment\/shop\/web\n {8}spec\.replicas: 5 → 2\n/);
    assert.match(result.stdout, /\n  - delete ConfigMap\/shop\/extra\n/);
    assert.match(result.stdout, /\nPlan: 1 to create, 1 to update, 1 to delete, \d+ unchanged\.\n$/);
    assert.is(cluster.sim.resourceVersion, before);
  },
);

cli('--dry-run prints the plan only; --dry-run=server validates and changes nothing', async ({ cluster, kubesnap }) => {
  const before = cluster.sim.resourceVersion;
  // --dry-run=client is the same flag with its default spelled out.
  const client = await kubesnap('restore', '-n', 'shop', '--prune', '--dry-run');
  assert.is(client.code, 0, client.stderr);
  assert.match(client.stdout, /Plan: 1 to create, 1 to update, 1 to delete/);
  assert.match(client.stdout, /Dry run: nothing was sent to the cluster\.\n$/);
  const server = await kubesnap('restore', '-n', 'shop', '--prune', '--dry-run=server');
  assert.is(server.code, 0, server.stderr);
  assert.match(
    server.stdout,
    /restore: created 1, updated 1, unchanged \d+, deleted 1, failed 0 \(server dry run, nothing changed: the server validated all 3 writes\)\n$/,
  );
  assert.is(cluster.sim.resourceVersion, before);
});

cli('on a terminal it asks, and only "yes" applies', async ({ cluster }) => {
  const command = [
    process.execPath,
    bin,
    '--kubeconfig',
    cluster.sim.kubeconfigPath,
    '--repo',
    cluster.repo,
    'restore',
    '-n',
    'shop',
    '--include',
    'deploy',
  ].join(' ');
  const onTerminal = (answer: string) =>
    run('script', ['-qec', command, '/dev/null'], { input: `${answer}\n`, env: { NO_COLOR: '1' } });
  const before = cluster.sim.resourceVersion;
  const declined = await onTerminal('no');
  assert.is(declined.code, 1, declined.stdout);
  assert.match(
    declined.stdout,
    /Apply this plan to kubesnap-sim \(https:\/\/127\.0\.0\.1:\d+\)\? Only 'yes' will be accepted: /,
  );
  assert.match(declined.stdout, /restore cancelled; nothing was changed\./);
  assert.is(cluster.sim.resourceVersion, before);
  const accepted = await onTerminal('yes');
  assert.is(accepted.code, 0, accepted.stdout);
  assert.match(accepted.stdout, /restore: created 0, updated 1, unchanged 0, deleted 0, failed 0/);
  assert.is((cluster.sim.get('apps', 'deployments', 'shop', 'web')!.spec as { replicas: number }).replicas, 2);
  await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=5');
});

cli('bad input is exit 2 with one sentence', async ({ kubesnap }) => {
  for (const [args, message] of [
    [['--namespace-map', 'shop'], /--namespace-map "shop" is not of the form FROM=TO\./],
    [['--dry-run=later'], /--dry-run "later" is not client or server/],
    [['no-such-revision'], /no-such-revision/],
  ] as Array<[string[], RegExp]>) {
    const result = await kubesnap('restore', ...args);
    assert.is(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.is(result.stderr.trim().split('\n').length, 1, result.stderr);
  }
});

cli(
  '--yes applies: summary, exit 0; then diff --live shows nothing and a second restore writes nothing',
  async ({ cluster, kubesnap }) => {
    const result = await kubesnap('restore', '-n', 'shop', '--prune', '--yes');
    assert.is(result.code, 0, result.stderr);
    assert.match(result.stdout, /\nrestore: created 1, updated 1, unchanged \d+, deleted 1, failed 0\n$/);
    const diff = await kubesnap('diff', 'HEAD', '--live', '--exit-code');
    assert.is(diff.code, 0, diff.stdout + diff.stderr);
    assert.match(diff.stdout, /^No differences/);

    const before = cluster.sim.resourceVersion;
    const again = await kubesnap('restore', '-n', 'shop', '--prune', '-o', 'json');
    assert.is(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout);
    assert.equal(report.counts, {
      created: 0,
      updated: 0,
      unchanged: report.results.length,
      deleted: 0,
      failed: 0,
      notRestored: 0,
    });
    assert.ok(report.results.every((r: { outcome: string }) => r.outcome === 'unchanged'));
    assert.is(cluster.sim.resourceVersion, before);
  },
);

cli('-o json gives per-object results and never a Secret value', async ({ cluster, kubesnap }) => {
  await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=3');
  const result = await kubesnap('restore', '-n', 'shop', '--yes', '-o', 'json');
  assert.is(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(
    report.results.find((r: { ref: string }) => r.ref === 'Deployment/shop/web'),
    { ref: 'Deployment/shop/web', path: 'shop/deployments.apps/web.yaml', action: 'update', outcome: 'updated' },
  );
  assert.equal(report.plan.find((p: { ref: string }) => p.ref === 'Deployment/shop/web').fields, [
    'spec.replicas: 3 → 2',
  ]);
  assert.not.ok(result.stdout.includes('czNjcjN0LWRvLW5vdC1jb21taXQ='));
});

cli(
  'a dry run exits as the restore would, and a server dry run says which writes the server did not see',
  async ({ cluster, kubesnap }) => {
    // Into a namespace that does not exist yet: the redacted Secret cannot be created there (exit 1),
    // and in a server dry run nothing inside the new namespace can be sent.
    const args = ['restore', '-n', 'shop', '--namespace-map', 'shop=shop-dry'];
    const client = await kubesnap(...args, '--dry-run');
    assert.is(client.code, 1, client.stderr);
    assert.match(
      client.stdout,
      /\n  ! Secret\/shop-dry\/web-credentials \(shop\/secrets\/web-credentials\.yaml\): cannot restore redacted values/,
    );
    assert.match(
      client.stdout,
      /Dry run: nothing was sent to the cluster; 1 objects cannot be restored \(marked ! and ✗ above\)\.\n$/,
    );

    const server = await kubesnap(...args, '--dry-run=server');
    assert.is(server.code, 1, server.stderr);
    assert.match(
      server.stderr,
      /note: Deployment\/shop-dry\/web: not validated by the server: it needs Namespace\/shop-dry, which this restore creates\./,
    );
    const [, sent, writes, unsent] =
      /\(server dry run, nothing changed: the server validated (\d+) of (\d+) writes; (\d+) were not sent, as they need objects this restore creates\)\n$/.exec(
        server.stdout,
      ) ?? [];
    assert.ok(sent, server.stdout);
    assert.is(Number(sent), 1, 'only the Namespace');
    assert.is(Number(sent) + Number(unsent), Number(writes));
    assert.not.ok(/validated, nothing changed/.test(server.stdout));
    assert.not.ok(cluster.sim.get('', 'namespaces', undefined, 'shop-dry'));

    const real = await kubesnap(...args, '--yes');
    assert.is(real.code, 1, real.stderr);
    assert.match(real.stderr, /error: Secret\/shop-dry\/web-credentials: cannot restore redacted values/);
    assert.ok(cluster.sim.get('apps', 'deployments', 'shop-dry', 'web'));
  },
);

cli.run();
