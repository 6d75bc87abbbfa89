import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Simulator } from '../../lib/sim/index.ts';
import { acquireLock } from '../../lib/store/index.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { git } from '../helpers/processes.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const errors = simulatorSuite('snapshot bad input', { seeded: false });

function assertOneSentence(result: CliResult, code: number, pattern: RegExp) {
  assert.is(result.code, code, result.stderr);
  assert.match(result.stderr, pattern);
  assert.is(result.stderr.trim().split('\n').length, 1, `one line expected: ${result.stderr}`);
  assert.not.match(result.stderr, /\bat .*\.(ts|js):\d+/);
}

function kubeconfigWith(
  context: { sim: Simulator; tmp: { path: string } },
  name: string,
  edit: (text: string) => string,
): string {
  const path = join(context.tmp.path, name);
  writeFileSync(path, edit(readFileSync(context.sim.kubeconfigPath, 'utf8')));
  return path;
}

errors('a kubeconfig that does not exist', async ({ tmp }) => {
  const result = await runCli(['--kubeconfig', join(tmp.path, 'nope'), '--repo', join(tmp.path, 'r1'), 'snapshot']);
  assertOneSentence(result, 2, /^error: kubeconfig .*nope does not exist\.$/m);
});

errors('a kubeconfig that does not parse', async (context) => {
  const path = join(context.tmp.path, 'broken-kubeconfig');
  writeFileSync(path, 'clusters: [ {name: a, cluster: }\n  : :');
  const result = await runCli(['--kubeconfig', path, '--repo', join(context.tmp.path, 'r2'), 'snapshot']);
  assertOneSentence(result, 2, /^error: kubeconfig .* could not be read/m);
});

errors('a context that is not in the kubeconfig', async (context) => {
  const result = await runCli([
    '--kubeconfig',
    context.sim.kubeconfigPath,
    '--context',
    'prod',
    '--repo',
    join(context.tmp.path, 'r3'),
    'snapshot',
  ]);
  assertOneSentence(result, 2, /^error: context "prod" is not in kubeconfig/m);
});

errors('an unreachable server', async (context) => {
  const path = kubeconfigWith(context, 'unreachable', (text) =>
    text.replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1'),
  );
  const repo = join(context.tmp.path, 'r4');
  const result = await runCli(['--kubeconfig', path, '--repo', repo, 'snapshot']);
  assertOneSentence(
    result,
    1,
    /^error: cannot reach the API server at https:\/\/127\.0\.0\.1:1: connection refused\.$/m,
  );
});

errors('bad credentials', async (context) => {
  const path = kubeconfigWith(context, 'bad-token', (text) => text.replace(/token: .*/, 'token: not-the-token'));
  const result = await runCli(['--kubeconfig', path, '--repo', join(context.tmp.path, 'r5'), 'snapshot']);
  assertOneSentence(result, 1, /rejected the credentials .*401 Unauthorized/);
  assert.not.match(result.stderr, /not-the-token/);
});

errors('--repo pointing at a file', async (context) => {
  const file = join(context.tmp.path, 'a-file');
  writeFileSync(file, 'hello');
  const result = await runCli(['--kubeconfig', context.sim.kubeconfigPath, '--repo', file, 'snapshot']);
  assertOneSentence(result, 2, /^error: .*a-file.*/m);
  assert.is(readFileSync(file, 'utf8'), 'hello');
});

errors('--repo pointing at a folder that is not a git repository', async (context) => {
  const dir = join(context.tmp.path, 'photos');
  mkdirSync(dir);
  writeFileSync(join(dir, 'cat.jpg'), 'meow');
  const result = await runCli(['--kubeconfig', context.sim.kubeconfigPath, '--repo', dir, 'snapshot']);
  assertOneSentence(result, 2, /^error: .*photos.*/m);
});

errors('a second kubesnap on the same repository is told who holds the lock', async (context) => {
  const repo = join(context.tmp.path, 'locked');
  const first = await runCli(['--kubeconfig', context.sim.kubeconfigPath, '--repo', repo, 'snapshot']);
  assert.is(first.code, 0, first.stderr);
  const head = (await git(repo, 'rev-parse', 'HEAD')).trim();
  const lock = await acquireLock(repo, { pid: process.pid, host: hostname(), command: 'kubesnap watch' });
  try {
    const second = await runCli(['--kubeconfig', context.sim.kubeconfigPath, '--repo', repo, 'snapshot']);
    assertOneSentence(second, 1, new RegExp(`locked by kubesnap watch \\(pid ${process.pid}`));
  } finally {
    await lock.release();
  }
  assert.is((await git(repo, 'rev-parse', 'HEAD')).trim(), head);
});

errors('a kind the credentials may not list is reported and skipped; its committed files are kept', async (context) => {
  const repo = join(context.tmp.path, 'forbidden');
  context.sim.seedYaml(
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: vault\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: vault\ntype: Opaque\ndata:\n  password: czNjcjN0LWRvLW5vdC1jb21taXQ=\n',
  );
  const first = await runCli(['--kubeconfig', context.sim.kubeconfigPath, '--repo', repo, 'snapshot']);
  assert.is(first.code, 0, first.stderr);
  context.sim.faults.forbid('secrets');
  try {
    context.sim.seedYaml('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after\n  namespace: vault\n');
    const result = await runCli(['--kubeconfig', context.sim.kubeconfigPath, '--repo', repo, 'snapshot', '-o', 'json']);
    assert.is(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.unreadable, [{ resource: 'secrets', reason: '403 Forbidden' }]);
    assert.equal(
      report.changes.map((c: { path: string; type: string }) => `${c.type} ${c.path}`),
      ['created vault/configmaps/after.yaml'],
    );
    const text = await runCli(['--kubeconfig', context.sim.kubeconfigPath, '--repo', repo, 'snapshot']);
    assert.match(text.stderr, /^warning: could not read secrets: 403 Forbidden$/m);
    assert.match(text.stdout, /1 unreadable\)/);
  } finally {
    context.sim.faults.clear();
  }
  assert.match(await git(repo, 'show', 'HEAD:vault/secrets/db.yaml'), /password: hmac-sha256:/);
  assert.match(await git(repo, 'show', 'HEAD:README.md'), /could not be read: secrets \(403 Forbidden\)/);
});

errors.run();
