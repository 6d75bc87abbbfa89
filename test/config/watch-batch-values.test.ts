// watch's durations: a bad value names where it came from (flag, variable, file key), and --batch 0 commits each
// change as it arrives.
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../helpers/cluster.ts';
import { runCli } from '../helpers/cli.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { git } from '../helpers/processes.ts';
import { headOf, startWatch } from '../sync/running-watch.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const batch = simulatorSuite('watch --batch values');

batch('a bad duration names the flag, the variable or the file key that set it', async ({ sim, tmp }) => {
  const watch = (args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) =>
    runCli(['--kubeconfig', sim.kubeconfigPath, '--repo', join(tmp.path, 'bad'), 'watch', ...args], options);
  const flag = await watch(['--batch', 'soon']);
  assert.is(flag.code, 2);
  assert.is(flag.stderr, 'error: --batch "soon" is not a duration like 500ms, 5s, 2m or 1h.\n');
  const env = await watch([], { env: { KUBESNAP_WATCH_BATCH: 'soon' } });
  assert.is(env.code, 2);
  assert.is(env.stderr, 'error: KUBESNAP_WATCH_BATCH "soon" is not a duration like 500ms, 5s, 2m or 1h.\n');
  writeFileSync(join(tmp.path, 'kubesnap.yaml'), 'watch:\n  max-failing: often\n');
  const file = await watch([], { cwd: tmp.path });
  assert.is(file.code, 2);
  assert.match(file.stderr, /^error: watch\.max-failing in \S*kubesnap\.yaml "often" is not a duration/);
});

batch('--batch 0 commits each change as it arrives', async ({ sim, tmp }) => {
  const repo = join(tmp.path, 'at-once');
  const running = startWatch(sim, repo, '--batch', '0');
  try {
    const first = await eventually(() => headOf(repo), 60_000, 'the first sync');
    assert.is(
      (await kubectl(sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', 'one', '--from-literal=k=v'])).code,
      0,
    );
    const second = await eventually(
      async () => ((await headOf(repo)) !== first ? headOf(repo) : undefined),
      10_000,
      'the first change committed',
    );
    assert.is(
      (await kubectl(sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', 'two', '--from-literal=k=v'])).code,
      0,
    );
    await eventually(
      async () => ((await headOf(repo)) !== second ? true : undefined),
      10_000,
      'the second change committed',
    );
  } finally {
    running.child.kill('SIGTERM');
    await running.exited;
  }
  assert.is((await git(repo, 'rev-list', '--count', 'HEAD')).trim(), '3');
});

batch.run();
