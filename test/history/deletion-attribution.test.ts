// A watch sees an object go but not who removed it: a deletion is shown without an author, and each object's
// change is credited to its own manager, not to every manager of the commit.
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { eventually } from '../helpers/cluster.ts';
import { runCli } from '../helpers/cli.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { git } from '../helpers/processes.ts';
import { headOf, startWatch } from '../sync/running-watch.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const attribution = simulatorSuite('who a watch credits');

attribution(
  'a deletion claims no author; a mixed commit credits each object to its own manager',
  async ({ sim, tmp }) => {
    const repo = join(tmp.path, 'repo');
    const kube = async (...args: string[]) =>
      assert.is((await kubectl(sim.kubeconfigPath, args)).code, 0, args.join(' '));
    const running = startWatch(sim, repo, '--batch', '1500ms');
    try {
      const first = await eventually(() => headOf(repo), 60_000, 'the first sync');
      await kube('-n', 'shop', 'create', 'configmap', 'gone', '--from-literal=k=v');
      const second = await eventually(
        async () => ((await headOf(repo)) !== first ? headOf(repo) : undefined),
        20_000,
        'the configmap committed',
      );
      // One batch: a deletion, a creation and a scale by three different hands.
      await kube('-n', 'shop', 'delete', 'configmap', 'gone');
      await kube('-n', 'shop', 'create', 'configmap', 'fresh', '--from-literal=k=v');
      await kube('-n', 'shop', 'scale', 'deployment/web', '--replicas=5');
      await eventually(
        async () =>
          (await git(repo, 'log', '--format=%H', `${second}..main`)).trim().split('\n').filter(Boolean).length >= 1 &&
          /fresh/.test(await git(repo, 'show', '--name-only', 'main')),
        20_000,
        'the batch committed',
      );
    } finally {
      running.child.kill('SIGTERM');
      await running.exited;
    }
    const body = await git(repo, 'log', '-1', '--format=%B', '--', 'shop/configmaps/gone.yaml');
    assert.match(body, /^deleted shop\/configmaps\/gone$/m);

    const log = async (...args: string[]) => {
      const result = await runCli(['--repo', repo, 'log', ...args]);
      assert.is(result.code, 0, result.stderr);
      return result.stdout;
    };
    assert.match(
      await log('cm/gone', '-n', 'shop'),
      /^[0-9a-f]{7} \S+ deleted\n[0-9a-f]{7} \S+ created by kubectl-create\n$/,
    );
    assert.match(await log('cm/fresh', '-n', 'shop'), /^[0-9a-f]{7} \S+ created by kubectl-create\n/);
    // kubectl scale writes through the scale subresource as manager "kubectl"; the commit's trailers name kubectl-create too.
    assert.match(await log('deploy/web', '-n', 'shop'), /^[0-9a-f]{7} \S+ changed \(spec\.replicas\) by kubectl\n/);
    const json = JSON.parse(await log('cm/gone', '-n', 'shop', '-o', 'json'));
    assert.is(json[0].manager, null);
  },
);

attribution.run();
