import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { git } from '../helpers/processes.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const repository = simulatorSuite('snapshot repository handling');

repository('a non-bare clone keeps its work tree in step: git status stays clean', async ({ sim, tmp }) => {
  const clone = join(tmp.path, 'clone');
  await git(tmp.path, 'init', '-q', '-b', 'main', clone);
  const first = await runCli([
    '--kubeconfig',
    sim.kubeconfigPath,
    '--repo',
    clone,
    'snapshot',
    '--author',
    'Platform Bot <bot@example.com>',
  ]);
  assert.is(first.code, 0, first.stderr);
  assert.is((await git(clone, 'status', '--porcelain')).trim(), '');
  assert.match(await git(clone, 'log', '-1', '--format=%an <%ae>'), /^Platform Bot <bot@example.com>/);
  assert.match(await git(clone, 'show', 'HEAD:shop/deployments.apps/web.yaml'), /name: web/);
  assert.match(readFileSync(join(clone, 'shop/deployments.apps/web.yaml'), 'utf8'), /name: web/);

  assert.is((await kubectl(sim.kubeconfigPath, ['-n', 'shop', 'delete', 'configmap', 'web-config'])).code, 0);
  const second = await runCli(['--kubeconfig', sim.kubeconfigPath, '--repo', clone, 'snapshot']);
  assert.is(second.code, 0, second.stderr);
  assert.is((await git(clone, 'status', '--porcelain')).trim(), '');
  assert.not.ok(existsSync(join(clone, 'shop/configmaps/web-config.yaml')));
});

repository('a server failing mid-way leaves no partial commit', async ({ sim, tmp }) => {
  const repo = join(tmp.path, 'flaky');
  const first = await runCli(['--kubeconfig', sim.kubeconfigPath, '--repo', repo, 'snapshot']);
  assert.is(first.code, 0, first.stderr);
  const head = (await git(repo, 'rev-parse', 'HEAD')).trim();
  assert.is(
    (await kubectl(sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', 'new-one', '--from-literal=a=b'])).code,
    0,
  );
  sim.faults.failNext(1000);
  try {
    const failed = await runCli(['--kubeconfig', sim.kubeconfigPath, '--repo', repo, 'snapshot']);
    assert.is(failed.code, 1, failed.stderr);
    assert.is(failed.stderr.trim().split('\n').length, 1, failed.stderr);
    assert.match(failed.stderr, /^error: .*injected failure/);
  } finally {
    sim.faults.clear();
  }
  assert.is((await git(repo, 'rev-parse', 'HEAD')).trim(), head);
  await git(repo, 'fsck', '--strict', '--no-dangling');
  const after = await runCli(['--kubeconfig', sim.kubeconfigPath, '--repo', repo, 'snapshot']);
  assert.match(after.stdout, /snapshot: 1 created, 0 updated, 0 deleted/);
});

repository('a bad --author is one sentence and exit 2', async ({ sim, tmp }) => {
  const result = await runCli([
    '--kubeconfig',
    sim.kubeconfigPath,
    '--repo',
    join(tmp.path, 'a'),
    'snapshot',
    '--author',
    'nobody',
  ]);
  assert.is(result.code, 2);
  assert.match(result.stderr, /^error: --author "nobody" is not of the form "Name <email>"\.\n$/);
});

repository.run();
