// A restore writes as the manager "kubesnap-restore (who ran it)": the history a watch keeps says a restore made the
// change, not kubesnap's own reading of the cluster (who ran it: test/restore/restore-author.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { eventually, startSeededSimulator } from '../helpers/cluster.ts';
import { runCli } from '../helpers/cli.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { git, temporaryDirectory } from '../helpers/processes.ts';
import { headOf, startWatch } from '../sync/running-watch.ts';

test('a watch credits a restored change to kubesnap-restore', async () => {
  const sim = await startSeededSimulator();
  const tmp = temporaryDirectory();
  const repo = join(tmp.path, 'repo');
  const running = startWatch(sim, repo, '--batch', '300ms');
  const nextCommit = (after: string | undefined, what: string) =>
    eventually(async () => ((await headOf(repo)) !== after ? headOf(repo) : undefined), after ? 20_000 : 60_000, what);
  try {
    const first = await nextCommit(undefined, 'the first sync');
    assert.is((await kubectl(sim.kubeconfigPath, ['-n', 'shop', 'scale', 'deployment/web', '--replicas=7'])).code, 0);
    const scaled = await nextCommit(first, 'the scale committed');
    const restore = await runCli([
      '--kubeconfig',
      sim.kubeconfigPath,
      '--repo',
      repo,
      'restore',
      first!,
      'deploy/web',
      '-n',
      'shop',
      '--yes',
    ]);
    assert.is(restore.code, 0, restore.stdout + restore.stderr);
    await nextCommit(scaled, 'the restore committed');
  } finally {
    running.child.kill('SIGTERM');
    await running.exited;
    await sim.stop();
  }
  try {
    assert.match(
      await git(repo, 'log', '-1', '--format=%B'),
      /^updated shop\/deployments\.apps\/web {2}spec\.replicas 7→\d+ {2}by kubesnap-restore \(kubesnap-sim-admin\) at /m,
    );
    const log = await runCli(['--repo', repo, 'log', 'deploy/web', '-n', 'shop', '--limit', '1']);
    assert.match(log.stdout, /changed \(spec\.replicas\) by kubesnap-restore \(kubesnap-sim-admin\)\n$/);
  } finally {
    tmp.remove();
  }
});

test.run();
