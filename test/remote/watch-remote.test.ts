import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { eventually } from '../helpers/cluster.ts';
import { git, run } from '../helpers/processes.ts';
import { CLI_TOKEN as TOKEN, createConfigMap, remoteCliSuite, startWatch } from './cli-suite.ts';
import { createBareRemote, installRefusingHook } from './git-servers.ts';

const remoteTest = remoteCliSuite('kubesnap watch --remote');

remoteTest(
  'watch: the remote goes away and comes back; commits continue locally and are pushed; metrics say how far behind',
  async (context) => {
    const remote = await createBareRemote(join(context.tmp.path, 'served'), 'watch.git');
    const repo = join(context.tmp.path, 'watch');
    const child = startWatch(context, repo, [
      '--batch',
      '100ms',
      '--listen',
      '127.0.0.1:0',
      '--remote',
      context.server.url('watch.git'),
      '--push-interval',
      '200ms',
    ]);
    const remoteHead = async () =>
      (await run('git', ['-C', remote, 'rev-parse', '--verify', '-q', 'main'])).stdout.trim();
    const localHead = async () => (await run('git', ['-C', repo, 'rev-parse', '--verify', '-q', 'main'])).stdout.trim();
    try {
      const address = await eventually(
        () => /address=(127\.0\.0\.1:\d+)/.exec(child.output())?.[1],
        20_000,
        'the status server',
      );
      const metrics = async () => (await fetch(`http://${address}/metrics`)).text();
      await eventually(
        async () => (await remoteHead()) !== '' && (await remoteHead()) === (await localHead()),
        20_000,
        'the first sync pushed',
      );

      await context.server.stop();
      await createConfigMap(context, 'while-down');
      await eventually(
        async () => /kubesnap_remote_unpushed_commits [1-9]/.test(await metrics()),
        15_000,
        'an unpushed commit',
      );
      await eventually(async () => /kubesnap_push_failures_total [1-9]/.test(await metrics()), 15_000, 'a failed push');
      const readyz = await (await fetch(`http://${address}/readyz`)).text();
      assert.match(readyz, /remote: 1 commit not pushed since \d{4}-/);
      assert.match(await metrics(), /kubesnap_remote_behind_seconds (0\.\d+|[1-9])/);

      await context.server.restart();
      await eventually(
        async () => (await remoteHead()) === (await localHead()),
        20_000,
        'the commit pushed after the remote came back',
      );
      assert.match(await git(remote, 'show', '--stat', 'main'), /while-down\.yaml/);
      await eventually(async () => /kubesnap_remote_unpushed_commits 0/.test(await metrics()), 5_000, 'in sync');
      assert.match(await metrics(), /kubesnap_remote_behind_seconds 0\b/);
      assert.match(await metrics(), /kubesnap_last_push_timestamp_seconds [1-9]/);
      child.kill('SIGTERM');
      assert.is(await child.exited, 0, child.output());
      assert.not.match(child.output(), TOKEN);
      assert.is((await run('grep', ['-r', '-l', TOKEN, repo])).stdout, '');
    } finally {
      child.kill('SIGKILL');
    }
  },
);

remoteTest(
  'watch: a pre-receive hook refuses the pushes; /readyz says so with its message, logged once, no merge, one push per try; pushed once the hook is gone',
  async (context) => {
    const remote = await createBareRemote(join(context.tmp.path, 'served'), 'policy-watch.git');
    const hook = installRefusingHook(remote, ['policy: main is protected']);
    const repo = join(context.tmp.path, 'policy-watch');
    const child = startWatch(context, repo, [
      '--batch',
      '100ms',
      '--listen',
      '127.0.0.1:0',
      '--remote',
      context.server.url('policy-watch.git'),
      '--push-interval',
      '200ms',
    ]);
    try {
      const address = await eventually(
        () => /address=(127\.0\.0\.1:\d+)/.exec(child.output())?.[1],
        60_000,
        'the status server',
      );
      const readyz = async () => {
        const response = await fetch(`http://${address}/readyz`);
        return { status: response.status, text: await response.text() };
      };
      const refused = await eventually(
        async () => {
          const answer = await readyz();
          return answer.status === 503 && answer.text.includes('remote:') ? answer : undefined;
        },
        30_000,
        '/readyz not ready for the remote',
      );
      assert.match(
        refused.text,
        'remote: push rejected by the remote: policy: main is protected (pre-receive hook declined)',
      );
      await eventually(() => hook.runs() >= 3, 20_000, 'three refused pushes');
      const refusals = child
        .output()
        .split('\n')
        .filter((line) => line.includes('the remote refused the push'));
      assert.is(refusals.length, 1, child.output());
      assert.match(refusals[0], /^error: .*policy: main is protected/);
      assert.is((await git(repo, 'rev-list', '--merges', '--count', 'main')).trim(), '0');
      assert.not.match(child.output(), /continuing on top of it/);

      hook.remove();
      await eventually(
        async () =>
          (await run('git', ['-C', remote, 'rev-parse', '--verify', '-q', 'main'])).stdout.trim() ===
          (await git(repo, 'rev-parse', 'main')).trim(),
        30_000,
        'pushed after the hook was removed',
      );
      await eventually(async () => (await readyz()).status === 200, 10_000, '/readyz ready again');
      child.kill('SIGTERM');
      assert.is(await child.exited, 0, child.output());
    } finally {
      child.kill('SIGKILL');
    }
  },
);

remoteTest.run();
