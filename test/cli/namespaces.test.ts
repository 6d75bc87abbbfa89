// -n takes several names and globs in every command (snapshot, diff, restore, log), --exclude-namespace beside it,
// and kubectl's habit of flags before the command.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { git } from '../helpers/processes.ts';
import { startRestoreCluster, type RestoreCluster } from '../restore/restore-setup.ts';

interface Context {
  cluster: RestoreCluster;
  kubesnap(repo: string, ...args: string[]): ReturnType<typeof runCli>;
}

const namespaces = suite<Context>('namespace names and globs');

async function objectPaths(repo: string): Promise<string[]> {
  return (await git(repo, 'ls-tree', '-r', '--name-only', 'HEAD'))
    .split('\n')
    .filter((path) => path.endsWith('.yaml'))
    .sort();
}

namespaces.before(async (context) => {
  context.cluster = await startRestoreCluster();
  for (const team of ['team-a', 'team-b']) {
    await context.cluster.kubectl('create', 'namespace', team);
    await context.cluster.kubectl('-n', team, 'create', 'configmap', 'settings', '--from-literal=team=' + team);
  }
  assert.ok(await context.cluster.snapshot());
  context.kubesnap = (repo, ...args) =>
    runCli(['--kubeconfig', context.cluster.sim.kubeconfigPath, '--repo', repo, ...args]);
});

namespaces.after(async ({ cluster }) => {
  await cluster?.stop();
});

namespaces(
  'snapshot: flags before the command, a glob with --exclude-namespace, several names either way',
  async ({ cluster, kubesnap }) => {
    const globbed = join(cluster.tmp.path, 'globbed');
    const result = await kubesnap(globbed, '-n', 'team-*', '--exclude-namespace', 'team-b', 'snapshot');
    assert.is(result.code, 0, result.stderr);
    const teamA = await objectPaths(globbed);
    assert.ok(
      teamA.includes('_cluster/namespaces/team-a.yaml') && teamA.includes('team-a/configmaps/settings.yaml'),
      teamA.join(' '),
    );
    assert.ok(
      teamA.every((path) => path.startsWith('team-a/') || path === '_cluster/namespaces/team-a.yaml'),
      teamA.join(' '),
    );

    const commaSeparated = join(cluster.tmp.path, 'comma');
    const repeated = join(cluster.tmp.path, 'repeated');
    assert.is((await kubesnap(commaSeparated, 'snapshot', '-n', 'shop,team-b')).code, 0);
    assert.is((await kubesnap(repeated, '-n', 'shop', 'snapshot', '-n', 'team-b')).code, 0);
    const paths = await objectPaths(commaSeparated);
    assert.equal(await objectPaths(repeated), paths);
    assert.ok(paths.includes('shop/deployments.apps/web.yaml') && paths.includes('team-b/configmaps/settings.yaml'));
    assert.not.ok(paths.some((path) => path.startsWith('payments/') || path.startsWith('team-a/')));
  },
);

namespaces(
  'a bad name or glob is one sentence, exit 2; an option no command has is still unknown',
  async ({ cluster, kubesnap }) => {
    const repo = join(cluster.tmp.path, 'bad');
    const bad = await kubesnap(repo, 'snapshot', '-n', 'Team_A');
    assert.is(bad.code, 2);
    assert.is(
      bad.stderr,
      'error: -n "Team_A" is not a valid namespace name or glob (lower-case letters, digits and \'-\'; globs with * ? [...]).\n',
    );
    const unknown = await kubesnap(repo, '--no-such-flag', 'snapshot');
    assert.is(unknown.code, 2);
    assert.match(unknown.stderr, /^error: unknown option '--no-such-flag'\n/);
  },
);

namespaces('diff, log and restore take the same globs', async ({ cluster, kubesnap }) => {
  await cluster.kubectl('-n', 'team-a', 'patch', 'configmap', 'settings', '-p', '{"data":{"team":"alpha"}}');
  await cluster.kubectl('-n', 'shop', 'patch', 'configmap', 'web-config', '-p', '{"data":{"extra":"1"}}');
  assert.ok(await cluster.snapshot());

  const diff = await kubesnap(cluster.repo, '-n', 'team-*', 'diff', '-o', 'json');
  assert.is(diff.code, 0, diff.stderr);
  assert.equal(
    JSON.parse(diff.stdout).objects.map((o: { path: string }) => o.path),
    ['team-a/configmaps/settings.yaml'],
  );

  const log = await kubesnap(cluster.repo, 'log', '-n', 'team-?', '-o', 'json');
  assert.is(log.code, 0, log.stderr);
  assert.is(JSON.parse(log.stdout).length, 2);
  const logOfShop = JSON.parse((await kubesnap(cluster.repo, 'log', '--namespace', 'shop', '-o', 'json')).stdout);
  assert.is(logOfShop.length, 2);

  await cluster.kubectl('-n', 'team-b', 'delete', 'configmap', 'settings');
  await cluster.kubectl('-n', 'shop', 'delete', 'configmap', 'web-config');
  const plan = await kubesnap(cluster.repo, 'restore', '-n', 'team-*', '--dry-run');
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /\n  \+ create ConfigMap\/team-b\/settings\n/);
  assert.not.match(plan.stdout, /web-config/);
  assert.match(plan.stdout, /\nPlan: 1 to create, 0 to update, 0 to delete, \d+ unchanged\.\n/);
  const nothing = await kubesnap(cluster.repo, 'restore', '-n', 'nope-*', '--dry-run');
  assert.is(nothing.code, 2);
  assert.match(nothing.stderr, /^error: -n nope-\* matches nothing in HEAD/);
});

namespaces.run();
