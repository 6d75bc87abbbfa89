import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { eventually, freshSnapshotFiles, objectFiles } from '../helpers/cluster.ts';
import { git } from '../helpers/processes.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { runCli } from '../helpers/cli.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { headOf, startWatch } from './running-watch.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const watch = simulatorSuite('kubesnap watch', { simulator: { bookmarkIntervalMs: 500 } });

watch('serves /healthz, /readyz and /metrics; SIGTERM commits the pending batch and exits 0', async ({ sim, tmp }) => {
  const repo = join(tmp.path, 'signals');
  const running = startWatch(sim, repo, '--batch', '1h', '--listen', '127.0.0.1:0');
  try {
    const address = await eventually(
      () => /address=(127\.0\.0\.1:\d+)/.exec(running.output())?.[1],
      20_000,
      'the status server',
    );
    const base = `http://${address}`;
    assert.is((await fetch(`${base}/healthz`)).status, 200);
    await eventually(async () => (await fetch(`${base}/readyz`)).status === 200, 20_000, 'ready');
    const first = await eventually(() => headOf(repo), 10_000, 'the first full sync committed');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /kubesnap_commits_total 1/);
    assert.match(metrics, /kubesnap_objects_tracked [1-9]\d*/);

    assert.is(
      (await kubectl(sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', 'late', '--from-literal=k=v'])).code,
      0,
    );
    await eventually(
      async () => /kubesnap_pending_changes 1\b/.test(await (await fetch(`${base}/metrics`)).text()),
      10_000,
      'the change pending',
    );
    assert.match(
      await (await fetch(`${base}/metrics`)).text(),
      /kubesnap_watch_events_total\{resource="configmaps",type="ADDED"\} [1-9]/,
    );
    assert.is(await headOf(repo), first, 'nothing committed before the batch window');
    running.child.kill('SIGTERM');
    assert.is(await running.exited, 0, running.output());
    assert.match(await git(repo, 'show', '--stat', 'HEAD'), /shop\/configmaps\/late\.yaml/);
  } finally {
    running.child.kill('SIGKILL');
  }
});

watch('a second watch on the same repository is refused, naming the first', async ({ sim, tmp }) => {
  const repo = join(tmp.path, 'locked');
  const first = startWatch(sim, repo, '--batch', '200ms');
  try {
    await eventually(() => headOf(repo), 20_000, 'the first watch committing');
    const second = await runCli(['--kubeconfig', sim.kubeconfigPath, '--repo', repo, 'watch']);
    assert.is(second.code, 1);
    assert.match(second.stderr, new RegExp(`locked by kubesnap watch \\(pid ${first.child.pid}`));
  } finally {
    first.child.kill('SIGTERM');
    await first.exited;
  }
});

watch(
  'kill -9 in the middle of a burst leaves a consistent repository; the next start catches up',
  async ({ sim, tmp }) => {
    const repo = join(tmp.path, 'killed');
    const first = startWatch(sim, repo, '--batch', '50ms', '--batch-max', '7');
    await eventually(() => headOf(repo), 20_000, 'the first commit');
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      writes.push(
        kubectl(sim.kubeconfigPath, ['-n', 'monitoring', 'create', 'configmap', `k9-${i}`, `--from-literal=i=${i}`]),
      );
      if (i === 25) first.child.kill('SIGKILL');
    }
    await Promise.all(writes);
    await first.exited;
    await git(repo, 'fsck', '--strict', '--no-dangling');

    const second = startWatch(sim, repo, '--batch', '100ms');
    try {
      const expected = await freshSnapshotFiles(sim, join(tmp.path, 'fresh-k9'), repo);
      await eventually(
        async () => {
          const reopened = await SnapshotRepository.open(repo, { create: false });
          return JSON.stringify([...objectFiles(await reopened.readFiles())]) === JSON.stringify([...expected]);
        },
        20_000,
        'the restarted watch to catch up',
      );
    } finally {
      second.child.kill('SIGTERM');
      assert.is(await second.exited, 0);
    }
    await git(repo, 'fsck', '--strict', '--no-dangling');
  },
);

watch('bad flags are one sentence and exit 2', async ({ sim, tmp }) => {
  for (const [flag, value] of [
    ['--batch', 'soon'],
    ['--batch-max', '0'],
    ['--listen', 'nowhere'],
    ['--max-backlog', '0'],
    ['--max-backlog', '-5'],
    ['--max-backlog', '2.5'],
    ['--max-backlog', 'many'],
  ]) {
    const result = await runCli([
      '--kubeconfig',
      sim.kubeconfigPath,
      '--repo',
      join(tmp.path, 'bad'),
      'watch',
      flag,
      value,
    ]);
    assert.is(result.code, 2, `${flag} ${value}: ${result.stderr}`);
    assert.is(result.stderr.trim().split('\n').length, 1, result.stderr);
  }
});

watch.run();
