import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';
import { git, temporaryDirectory } from './helpers/processes.ts';

const tmp = temporaryDirectory();

test.after(() => tmp.remove());

test('kubesnap demo writes a real repository through a scripted day and shows its history and a diff', async () => {
  const result = await runCli(['demo'], { cwd: tmp.path, timeoutMs: 120_000 });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /History \(newest first\):/);
  assert.match(result.stdout, /updated shop\/deployments\.apps\/web {2}spec\.replicas 2→4 {2}by kubectl-scale/);
  assert.match(
    result.stdout,
    /-\s+image: registry\.example\.com\/shop\/web:1\.7\.2\n\+\s+image: registry\.example\.com\/shop\/web:1\.8\.0/,
  );
  assert.match(result.stdout, /kubesnap-demo/);
  // The first sync's commit is cut to 4 lines, and says how many it left out.
  assert.match(result.stdout, /watch: 39 created, 0 updated, 0 deleted\n(?: {6}created .*\n){4} {6}… 35 more\n/);
  const repo = join(tmp.path, 'kubesnap-demo');
  const log = (await git(repo, 'log', '--format=%s')).trim().split('\n');
  assert.is(log.length, 7, log.join('\n'));
  assert.match(log[0], /^watch: 2 created/);
  assert.is((await git(repo, 'status', '--porcelain')).trim(), '', 'the work tree follows the commits');
  await git(repo, 'fsck', '--strict', '--no-dangling');
  assert.match(
    await git(repo, 'show', 'HEAD:payments/backupschedules.ops.example.com/nightly.yaml'),
    /schedule: 0 3 \* \* \*/,
  );
});

test('a second demo replaces the first; a folder that is not a demo is refused', async () => {
  const again = await runCli(['demo'], { cwd: tmp.path, timeoutMs: 120_000 });
  assert.is(again.code, 0, again.stderr);
  const mine = join(tmp.path, 'mine');
  mkdirSync(mine);
  writeFileSync(join(mine, 'notes.txt'), 'precious');
  const refused = await runCli(['demo', '--dir', mine], { cwd: tmp.path });
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /^error: .*mine exists and is not an earlier kubesnap demo/);
});

test.run();
