// Messages and help of the CLI: usage errors point at the failing subcommand's own --help, help says a default
// once and marks required options, and counts are spelled in the singular when they are one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startSeededSimulator } from './helpers/cluster.ts';
import { runCli } from './helpers/cli.ts';
import { temporaryDirectory } from './helpers/processes.ts';

test("a usage error points at the subcommand's own --help", async () => {
  for (const [args, hint] of [
    [['snapshot', '--bogus'], 'kubesnap snapshot --help'],
    [['etcd', 'snapshot', '--bogus'], 'kubesnap etcd snapshot --help'],
    [['etcd', 'list', 'a', 'b'], 'kubesnap etcd list --help'],
    [['--bogus'], 'kubesnap --help'],
  ] as const) {
    const result = await runCli([...args]);
    assert.is(result.code, 2);
    assert.match(result.stderr, new RegExp(`^error: .*\\nRun '${hint}' for usage\\.\\n$`), result.stderr);
  }
});

test('show --help says its default once', async () => {
  const help = await runCli(['show', '--help']);
  assert.is(help.stdout.match(/HEAD/g)?.length, 1, help.stdout);
});

test('required options are marked required in --help', async () => {
  for (const [args, flag] of [
    [['etcd', 'snapshot'], '--endpoints'],
    [['etcd', 'list'], '--dir'],
    [['images', 'mirror'], '--to'],
  ] as const) {
    const help = (await runCli([...args, '--help'])).stdout.replace(/\s+/g, ' ');
    assert.match(help, new RegExp(` ${flag} <\\w+> (?:(?! --).)*\\(required\\)`), `${args.join(' ')}: ${help}`);
  }
});

test('diff --help lists how snapshots are written apart, as what --live reads with', async () => {
  const help = (await runCli(['diff', '--help'])).stdout;
  const [options, live] = help.split(/^With --live, read the cluster as the snapshot was taken:$/m);
  assert.ok(live, help);
  for (const flag of ['--secrets', '--include-events', '--age-recipient', '--age-identity', '--digest-key-file']) {
    assert.not.match(options, new RegExp(`^  ${flag}\\b`, 'm'), `${flag} among diff's own options`);
    assert.match(live, new RegExp(`^  ${flag}\\b`, 'm'));
  }
  assert.match(options, /^ {2}--exit-code\b/m);
});

test('snapshot --explain counts one kind as "1 kind"', async () => {
  const sim = await startSeededSimulator();
  const tmp = temporaryDirectory();
  try {
    const result = await runCli([
      '--kubeconfig',
      sim.kubeconfigPath,
      '--repo',
      join(tmp.path, 'repo'),
      'snapshot',
      '--explain',
    ]);
    assert.is(result.code, 0, result.stderr);
    assert.not.match(result.stdout, /\b1 (kinds|objects)\b/);
    assert.match(result.stdout, /^skipped leases: 1 kind \(leases\.coordination\.k8s\.io\)/m);
  } finally {
    await sim.stop();
    tmp.remove();
  }
});

test.run();
