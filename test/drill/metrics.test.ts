// A running `kubesnap watch` exports the drills recorded in its repository, by kubesnap drill or by git itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator } from '../../lib/sim/index.ts';
import { eventually } from '../helpers/cluster.ts';
import { runCli } from '../helpers/cli.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { headOf, metricsOf, startWatch, statusUrlOf } from '../sync/running-watch.ts';
import { git } from './drill-setup.ts';

test('kubesnap_drill_last_success_timestamp_seconds{part} and kubesnap_drill_failures_total follow the drill notes', async () => {
  const sim = await startSimulator();
  const tmp = temporaryDirectory('kubesnap-drill-metrics-');
  const repo = `${tmp.path}/repo`;
  const watch = startWatch(sim, repo, '--listen', '127.0.0.1:0');
  try {
    const base = await statusUrlOf(watch);
    await eventually(() => headOf(repo), 20_000, 'the first commit');
    assert.not.match(await metricsOf(base), /kubesnap_drill_last_success_timestamp_seconds\{/);
    assert.match(await metricsOf(base), /kubesnap_drill_failures_total 0/);

    const before = Math.floor(Date.now() / 1000);
    const drill = await runCli(['drill', '--repo', repo]);
    assert.is(drill.code, 0, drill.stdout + drill.stderr);
    const seconds = Number(
      /kubesnap_drill_last_success_timestamp_seconds\{part="config"\} (\d+)/.exec(await metricsOf(base))?.[1],
    );
    assert.ok(seconds >= before - 1 && seconds <= Date.now() / 1000, String(seconds));

    // A note git wrote itself counts the same way.
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
    const metrics = await metricsOf(base);
    assert.match(metrics, /kubesnap_drill_failures_total 1/);
    assert.match(metrics, new RegExp(`kubesnap_drill_last_success_timestamp_seconds\\{part="config"\\} ${seconds}`));
  } finally {
    watch.child.kill('SIGTERM');
    await watch.exited;
    await sim.stop();
    tmp.remove();
  }
});

test.run();
