// Drills the CronJob records in another clone and pushes reach a running `kubesnap watch --remote`: the watch fetches
// refs/notes/kubesnap-drills with the branch, keeps the notes it already had, and exports the drill metrics.
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { eventually } from '../helpers/cluster.ts';
import { runCli } from '../helpers/cli.ts';
import { git, run } from '../helpers/processes.ts';
import { CLI_TOKEN, remoteCliSuite, startWatch } from '../remote/cli-suite.ts';
import { createBareRemote } from '../remote/git-servers.ts';

const remoteTest = remoteCliSuite('kubesnap watch --remote fetches the drill notes');
const basicAuth = `Authorization: Basic ${Buffer.from(`x-access-token:${CLI_TOKEN}`).toString('base64')}`;

for (const backend of ['isomorphic', 'native']) {
  remoteTest(
    `--git ${backend}: a note pushed by a drill in another clone shows in the watch's drill metrics; the watch's own note stays`,
    async (context) => {
      const remote = await createBareRemote(join(context.tmp.path, 'served'), `drill-${backend}.git`);
      const url = context.server.url(`drill-${backend}.git`);
      const repo = join(context.tmp.path, `watch-${backend}`);
      const child = startWatch(context, repo, [
        '--git',
        backend,
        '--batch',
        '100ms',
        '--listen',
        '127.0.0.1:0',
        '--remote',
        url,
        '--push-interval',
        '300ms',
      ]);
      try {
        const address = await eventually(
          () => /address=(127\.0\.0\.1:\d+)/.exec(child.output())?.[1],
          20_000,
          'the status server',
        );
        const metrics = async () => (await fetch(`http://${address}/metrics`)).text();
        await eventually(
          async () => (await run('git', ['-C', remote, 'rev-parse', '--verify', '-q', 'main'])).stdout.trim() !== '',
          20_000,
          'the first push',
        );
        assert.not.match(await metrics(), /kubesnap_drill_last_success_timestamp_seconds\{/);
        // A note only the watch's repository has (a drill run beside it): the merge must keep it.
        await git(
          repo,
          'notes',
          '--ref',
          'kubesnap-drills',
          'append',
          '-m',
          'kubesnap-drill 2026-01-01T00:00:00Z failed config=failed',
          'HEAD',
        );

        // What the CronJob does: clone, drill, push the notes ref.
        const clone = join(context.tmp.path, `cronjob-${backend}`);
        await run('git', ['-c', `http.extraHeader=${basicAuth}`, 'clone', '-q', '--bare', url, clone]);
        const drill = await runCli([
          'drill',
          '--repo',
          clone,
          '--target',
          'sim',
          '--author',
          'kubesnap drill <kubesnap@localhost>',
        ]);
        assert.is(drill.code, 0, drill.stdout + drill.stderr);
        await git(clone, '-c', `http.extraHeader=${basicAuth}`, 'push', '-q', 'origin', 'refs/notes/kubesnap-drills');

        const seconds = await eventually(
          async () => /kubesnap_drill_last_success_timestamp_seconds\{part="config"\} (\d+)/.exec(await metrics())?.[1],
          20_000,
          'the pushed drill in the metrics',
        );
        assert.ok(Number(seconds) > Date.now() / 1000 - 120, seconds);
        assert.match(await metrics(), /kubesnap_drill_failures_total 1/);
        const notes = await git(repo, 'notes', '--ref', 'kubesnap-drills', 'list');
        assert.ok(notes.trim().split('\n').length >= 1, notes);
        const all = await git(repo, 'log', '-p', '--format=', 'refs/notes/kubesnap-drills');
        assert.match(all, /failed config=failed/);
        assert.match(all, /passed config=passed/);
        child.kill('SIGTERM');
        assert.is(await child.exited, 0, child.output());
        assert.not.match(child.output(), CLI_TOKEN);
      } finally {
        child.kill('SIGKILL');
      }
    },
  );
}

remoteTest.run();
