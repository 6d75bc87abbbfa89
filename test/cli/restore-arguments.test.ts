// restore reads what it restores as git and kubectl spell it: REV:PATH, `REV deploy/web -n shop`, `deploy web`.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { startRestoreCluster, type RestoreCluster } from '../restore/restore-setup.ts';

interface Context {
  cluster: RestoreCluster;
  kubesnap(...args: string[]): ReturnType<typeof runCli>;
}

const restore = suite<Context>('restore arguments');

/** The plan's object lines that would change something. */
function changes(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => /^ {2}[+~-] /.test(line))
    .map((line) => line.trim());
}

restore.before(async (context) => {
  context.cluster = await startRestoreCluster();
  assert.ok(await context.cluster.snapshot());
  context.kubesnap = (...args) =>
    runCli(['--kubeconfig', context.cluster.sim.kubeconfigPath, '--repo', context.cluster.repo, ...args]);
  await context.cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=5');
  await context.cluster.kubectl('-n', 'payments', 'scale', 'deployment/api', '--replicas=7');
  await context.cluster.kubectl('-n', 'shop', 'delete', 'configmap', 'web-config');
});

restore.after(async ({ cluster }) => {
  await cluster?.stop();
});

restore('REV:PATH restores that one file', async ({ kubesnap }) => {
  const result = await kubesnap('restore', 'HEAD:shop/configmaps/web-config.yaml', '--dry-run');
  assert.is(result.code, 0, result.stderr);
  assert.equal(changes(result.stdout), ['+ create ConfigMap/shop/web-config']);
});

restore(
  "REV KIND/NAME -n NS restores those objects; kubectl's KIND NAME too; HEAD when no revision is given",
  async ({ kubesnap }) => {
    const named = await kubesnap('restore', 'HEAD', 'deploy/web', '-n', 'shop', '--dry-run');
    assert.is(named.code, 0, named.stderr);
    assert.equal(changes(named.stdout), ['~ update Deployment/shop/web']);
    const both = await kubesnap('restore', 'HEAD', 'deploy/web', 'deploy/api', '--dry-run');
    assert.equal(changes(both.stdout).sort(), ['~ update Deployment/payments/api', '~ update Deployment/shop/web']);
    const kubectlStyle = await kubesnap('restore', 'HEAD', 'deployments', 'web', 'api', '--dry-run');
    assert.is(kubectlStyle.stdout, both.stdout);
    const withoutRevision = await kubesnap('restore', 'deploy/web', 'cm/web-config', '-n', 'shop', '--dry-run');
    assert.equal(changes(withoutRevision.stdout).sort(), [
      '+ create ConfigMap/shop/web-config',
      '~ update Deployment/shop/web',
    ]);
  },
);

restore('an object the revision does not have is one sentence, exit 2', async ({ kubesnap }) => {
  const missing = await kubesnap('restore', 'HEAD', 'deploy/web', '-n', 'payments', '--dry-run');
  assert.is(missing.code, 2);
  assert.is(
    missing.stderr,
    'error: deploy/web matches nothing in HEAD (-n payments), so there is nothing to restore.\n',
  );
  const twoWays = await kubesnap('restore', 'HEAD', 'deploy/web', '--path', 'shop/**', '--dry-run');
  assert.is(twoWays.code, 2);
  assert.is(twoWays.stderr, 'error: choose the files to restore one way: REV:PATH, KIND/NAME arguments, or --path.\n');
});

restore.run();
