import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { Simulator } from '../../lib/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { git } from '../helpers/processes.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const fixtureDir = new URL('../fixtures/cluster/', import.meta.url).pathname;

const filters = simulatorSuite<{ runs: number }>('snapshot filters', { seeded: false });

filters.before(async (context) => {
  context.runs = 0;
  for (const file of ['00-namespaces.yaml', '05-crd.yaml', '10-shop.yaml', '20-payments.yaml']) {
    const created = await kubectl(context.sim.kubeconfigPath, ['create', '-f', join(fixtureDir, file)]);
    assert.is(created.code, 0, created.stderr);
  }
});

async function snapshotFiles(
  context: { sim: Simulator; tmp: { path: string }; runs: number },
  ...args: string[]
): Promise<string[]> {
  const repo = join(context.tmp.path, `repo-${context.runs++}`);
  const result = await runCli(['--kubeconfig', context.sim.kubeconfigPath, '--repo', repo, 'snapshot', ...args]);
  assert.is(result.code, 0, result.stderr);
  return (await git(repo, 'ls-tree', '-r', '--name-only', 'HEAD'))
    .trim()
    .split('\n')
    .filter((f) => f !== 'README.md');
}

filters('-n keeps one namespace and its Namespace object, nothing cluster-scoped besides', async (context) => {
  const files = await snapshotFiles(context, '-n', 'shop');
  assert.ok(files.includes('shop/deployments.apps/web.yaml'));
  assert.ok(files.includes('_cluster/namespaces/shop.yaml'));
  assert.ok(
    files.every((f) => f.startsWith('shop/') || f === '_cluster/namespaces/shop.yaml'),
    files.join('\n'),
  );
});

filters('-n is repeatable', async (context) => {
  const files = await snapshotFiles(context, '-n', 'shop', '-n', 'payments');
  assert.ok(files.some((f) => f.startsWith('shop/')));
  assert.ok(files.some((f) => f.startsWith('payments/')));
  assert.not.ok(files.some((f) => f.startsWith('default/') || f.startsWith('kube-system/')));
});

filters('--exclude-namespace takes globs', async (context) => {
  const files = await snapshotFiles(context, '--exclude-namespace', 'kube-*', '--exclude-namespace', 'pay*');
  assert.ok(files.some((f) => f.startsWith('shop/')));
  assert.not.ok(
    files.some(
      (f) => f.startsWith('payments/') || f.startsWith('kube-system/') || f === '_cluster/namespaces/payments.yaml',
    ),
  );
});

filters('--include takes kubectl spellings: short names, kinds, plural.group', async (context) => {
  for (const spelling of ['deploy', 'Deployment', 'deployments.apps', 'deployment']) {
    const files = await snapshotFiles(context, '--include', spelling);
    assert.ok(
      files.length >= 2 && files.every((f) => f.includes('/deployments.apps/')),
      `${spelling}: ${files.join(', ')}`,
    );
  }
  const two = await snapshotFiles(context, '--include', 'cm,svc');
  assert.ok(two.every((f) => /\/(configmaps|services)\//.test(f)));
  assert.ok(two.some((f) => f.includes('/services/')) && two.some((f) => f.includes('/configmaps/')));
});

filters('--exclude leaves kinds out; custom resources by their short name', async (context) => {
  const files = await snapshotFiles(context, '--exclude', 'secrets', '--exclude', 'wd');
  assert.not.ok(files.some((f) => f.includes('/secrets/') || f.includes('/widgets.example.com/')));
  assert.ok(files.some((f) => f.includes('/configmaps/')));
});

filters('-l filters by label selector', async (context) => {
  const files = await snapshotFiles(context, '-l', 'app=web');
  assert.ok(files.includes('shop/deployments.apps/web.yaml'));
  assert.ok(files.includes('shop/services/web.yaml'));
  assert.not.ok(files.includes('payments/deployments.apps/api.yaml'));
});

filters(
  'an include flag brings a skipped kind back: --include-owned, --include-root-ca-configmaps',
  async (context) => {
    const files = await snapshotFiles(context, '--include-root-ca-configmaps', '-n', 'shop');
    assert.ok(files.includes('shop/configmaps/kube-root-ca.crt.yaml'));
  },
);

filters('--secrets skip leaves Secrets out', async (context) => {
  const files = await snapshotFiles(context, '--secrets', 'skip');
  assert.not.ok(files.some((f) => f.includes('/secrets/')));
});

filters('--prefix writes everything one folder down', async (context) => {
  const files = await snapshotFiles(context, '--prefix', 'clusters/prod', '-n', 'shop');
  assert.ok(files.length > 0 && files.every((f) => f.startsWith('clusters/prod/')), files.join('\n'));
});

filters('an unknown kind is one sentence and exit 2', async (context) => {
  const result = await runCli([
    '--kubeconfig',
    context.sim.kubeconfigPath,
    '--repo',
    join(context.tmp.path, 'bad-kind'),
    'snapshot',
    '--include',
    'gizmos',
  ]);
  assert.is(result.code, 2);
  assert.match(result.stderr, /^error: the server doesn't have a resource type "gizmos"\.\n$/);
});

filters.run();
