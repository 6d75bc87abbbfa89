import * as assert from 'uvu/assert';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { eventually } from '../helpers/cluster.ts';
import { git, run } from '../helpers/processes.ts';
import {
  CLI_TOKEN,
  createConfigMap,
  remoteCliSuite,
  startWatch,
  type RemoteCliContext,
  type WatchProcess,
} from './cli-suite.ts';
import { createBareRemote } from './git-servers.ts';

const remoteTest = remoteCliSuite('a new pod with an empty /data continues the remote history');

/** A served repository (its folder and URL) that records every update of its branch (old and new tip) in its reflog. */
async function recordingRemote(context: RemoteCliContext, name: string): Promise<{ remote: string; url: string }> {
  const remote = await createBareRemote(join(context.tmp.path, 'served'), name);
  await git(remote, 'config', 'core.logAllRefUpdates', 'always');
  return { remote, url: context.server.url(name) };
}

/** [old, new] of every update of the remote's main, from its reflog. */
function branchUpdates(remote: string): Array<[string, string]> {
  return readFileSync(join(remote, 'logs', 'refs', 'heads', 'main'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' ').slice(0, 2) as [string, string]);
}

/** The remote's main is one history: one root, every update a fast-forward, no merge, and each ConfigMap's file in it. */
async function assertOneLinearHistory(remote: string, configMaps: string[]): Promise<void> {
  assert.is(
    (await git(remote, 'rev-list', '--max-parents=0', 'main')).trim().split('\n').length,
    1,
    'exactly one root commit',
  );
  for (const [old, updated] of branchUpdates(remote)) {
    if (/^0+$/.test(old)) continue;
    assert.is(
      (await run('git', ['-C', remote, 'merge-base', '--is-ancestor', old, updated])).code,
      0,
      `${old} → ${updated} is a fast-forward, not a force push`,
    );
  }
  assert.is(
    (await git(remote, 'rev-list', '--merges', '--count', 'main')).trim(),
    '0',
    'nothing to merge: each run started from the remote',
  );
  const files = await git(remote, 'ls-tree', '-r', '--name-only', 'main');
  for (const name of configMaps) assert.match(files, `${name}.yaml`);
}

const localHead = async (repo: string) =>
  (await run('git', ['-C', repo, 'rev-parse', '--verify', '-q', 'main'])).stdout.trim();

/**
 * Runs `watch --remote` into `repo` (after `whileStarting`, given the running watch) until ConfigMap `configMap`
 * has been created and pushed, then stops it (SIGTERM, exit 0).
 */
async function watchUntilPushed(
  context: RemoteCliContext,
  repo: string,
  remote: string,
  url: string,
  configMap: string,
  whileStarting?: (watch: WatchProcess) => Promise<void>,
): Promise<void> {
  const watch = startWatch(context, repo, ['--batch', '100ms', '--remote', url, '--push-interval', '200ms']);
  const remoteFiles = async () => (await run('git', ['-C', remote, 'ls-tree', '-r', '--name-only', 'main'])).stdout;
  try {
    await whileStarting?.(watch);
    await eventually(
      () => /first full sync done/.test(watch.output()),
      60_000,
      `the first full sync (${watch.output()})`,
    );
    await createConfigMap(context, configMap);
    await eventually(
      async () => (await remoteFiles()).includes(`${configMap}.yaml`),
      20_000,
      `${configMap} pushed (${watch.output()})`,
    );
    await eventually(
      async () => (await git(remote, 'rev-parse', 'main')).trim() === (await localHead(repo)),
      10_000,
      'in sync',
    );
    watch.kill('SIGTERM');
    assert.is(await watch.exited, 0, watch.output());
  } finally {
    watch.kill('SIGKILL');
  }
}

remoteTest(
  'watch: the repository folder is deleted between two runs; the second fetches the remote first and continues its history, fast-forward only',
  async (context) => {
    const { remote, url } = await recordingRemote(context, 'pod.git');
    const data = join(context.tmp.path, 'data');
    await watchUntilPushed(context, data, remote, url, 'first-pod');
    const firstPodTip = (await git(remote, 'rev-parse', 'main')).trim();

    rmSync(data, { recursive: true, force: true });
    await createConfigMap(context, 'between-pods');
    await watchUntilPushed(context, data, remote, url, 'second-pod');

    await assertOneLinearHistory(remote, ['first-pod', 'between-pods', 'second-pod']);
    assert.is(
      (await run('git', ['-C', remote, 'merge-base', '--is-ancestor', firstPodTip, 'main'])).code,
      0,
      "the first pod's history is under the second's",
    );
  },
);

remoteTest(
  'watch: a new pod whose remote cannot be reached yet writes nothing until it can, then continues the remote history (no second root commit)',
  async (context) => {
    const { remote, url } = await recordingRemote(context, 'pod-remote-down.git');
    const data = join(context.tmp.path, 'data-remote-down');
    await watchUntilPushed(context, data, remote, url, 'before-outage');

    rmSync(data, { recursive: true, force: true });
    await context.server.stop();
    let down = true;
    try {
      await watchUntilPushed(context, data, remote, url, 'after-outage', async (watch) => {
        await eventually(
          () => /the remote cannot be fetched; this new repository writes nothing/.test(watch.output()),
          60_000,
          `waiting for the remote (${watch.output()})`,
        );
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.is(await localHead(data), '', "nothing committed before the remote's history is fetched");
        await context.server.restart();
        down = false;
      });
    } finally {
      if (down) await context.server.restart();
    }

    await assertOneLinearHistory(remote, ['before-outage', 'after-outage']);
  },
);

remoteTest(
  'snapshot: each run into a new, empty folder (a CronJob with an empty /data) continues the remote history',
  async (context) => {
    const { remote, url } = await recordingRemote(context, 'cronjob.git');
    const data = join(context.tmp.path, 'data-cronjob');
    const snapshot = () =>
      runCli(['--kubeconfig', context.sim.kubeconfigPath, '--repo', data, 'snapshot', '--remote', url], {
        env: { KUBESNAP_GIT_TOKEN: CLI_TOKEN },
      });
    const configMaps = ['first-job', 'second-job', 'third-job'];
    for (const configMap of configMaps) {
      rmSync(data, { recursive: true, force: true });
      await createConfigMap(context, configMap);
      const result = await snapshot();
      assert.is(result.code, 0, result.stderr);
    }
    await assertOneLinearHistory(remote, configMaps);
    assert.is(
      (await git(remote, 'rev-list', '--count', 'main')).trim(),
      '3',
      'one commit per run, each on top of the last',
    );
  },
);

remoteTest.run();
