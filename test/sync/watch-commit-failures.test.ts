// A commit that fails (here: a refs/heads/main.lock another git process left) is an error in the log,
// in /readyz and in the metrics; it is retried on a timer, so a quiet cluster's changes still land once
// the cause is gone; after --max-failing the process exits 1, and SIGTERM with changes that could not be
// committed exits 1, not 0.
import * as assert from 'uvu/assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from '../../lib/sim/index.ts';
import { eventually } from '../helpers/cluster.ts';
import { git } from '../helpers/processes.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { headOf, metricsOf, readyz, startWatch, statusUrlOf, type RunningWatch } from './running-watch.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const failures = simulatorSuite('watch: failing commits', { simulator: { bookmarkIntervalMs: 500 } });

const refLock = (repo: string) => join(repo, 'refs', 'heads', 'main.lock');

async function createConfigMap(sim: Simulator, name: string): Promise<void> {
  assert.is(
    (await kubectl(sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', name, '--from-literal=k=v'])).code,
    0,
  );
}

/** A watch past its first commit, with the branch locked so every commit after it fails. */
async function watchWithLockedBranch(sim: Simulator, repo: string, ...args: string[]): Promise<RunningWatch> {
  const running = startWatch(sim, repo, '--batch', '100ms', ...args);
  await eventually(() => headOf(repo), 20_000, 'the first full sync committed');
  writeFileSync(refLock(repo), '');
  return running;
}

failures(
  'a failed commit shows in /readyz, the metrics and the log, and is retried without a new cluster event',
  async ({ sim, tmp }) => {
    const repo = join(tmp.path, 'retried');
    const running = await watchWithLockedBranch(sim, repo, '--listen', '127.0.0.1:0', '--max-failing', '1h');
    try {
      const base = await statusUrlOf(running);
      await createConfigMap(sim, 'while-locked');
      const notReady = await eventually(
        async () => {
          const answer = await readyz(base);
          return answer.status === 503 && answer.body;
        },
        10_000,
        `/readyz to fail (output: ${running.output()})`,
      );
      assert.match(notReady, /^commits: the last commit failed and none has succeeded since/);
      assert.is(notReady.split('\n').length, 1);
      const metrics = await metricsOf(base);
      assert.match(metrics, /kubesnap_commit_failures_total [1-9]/);
      assert.match(metrics, /kubesnap_ready\{source="commits"\} 0/);
      assert.match(running.output(), /error: commit failed; changes stay pending/);
      await eventually(
        () => /error: not ready source=commits reason=/.test(running.output()),
        5000,
        'the failing state logged',
      );

      // The cluster stays quiet from here on: only the retry timer can commit the change.
      rmSync(refLock(repo));
      await eventually(
        async () => /shop\/configmaps\/while-locked\.yaml/.test(await git(repo, 'show', '--stat', 'HEAD')),
        10_000,
        'the retried commit',
      );
      await eventually(async () => (await readyz(base)).status === 200, 5000, '/readyz ok again');
      assert.match(await metricsOf(base), /kubesnap_ready\{source="commits"\} 1/);
      running.child.kill('SIGTERM');
      assert.is(await running.exited, 0, running.output());
    } finally {
      running.child.kill('SIGKILL');
    }
  },
);

failures(
  'commits failing for longer than --max-failing end the watch with exit 1 and one sentence',
  async ({ sim, tmp }) => {
    const repo = join(tmp.path, 'gave-up');
    const running = await watchWithLockedBranch(sim, repo, '--max-failing', '2s');
    try {
      await createConfigMap(sim, 'never-committed');
      assert.is(await running.exited, 1, running.output());
      const last = running.output().trim().split('\n').at(-1)!;
      assert.match(last, /^error: commits have failed for 2s \(\d+ attempts\); the last error: .+\.$/);
    } finally {
      running.child.kill('SIGKILL');
    }
  },
);

failures('SIGTERM with a batch that could not be committed exits 1', async ({ sim, tmp }) => {
  const repo = join(tmp.path, 'sigterm');
  const running = await watchWithLockedBranch(sim, repo);
  try {
    await createConfigMap(sim, 'lost-on-exit');
    await eventually(() => /commit failed/.test(running.output()), 10_000, 'a failed commit');
    running.child.kill('SIGTERM');
    assert.is(await running.exited, 1, running.output());
    assert.match(running.output().trim().split('\n').at(-1)!, /^error: the last batch could not be committed: .+\.$/);
  } finally {
    running.child.kill('SIGKILL');
  }
});

failures.run();
