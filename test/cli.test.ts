import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from './helpers/cli.ts';

test('--version prints the package version and exits 0', async () => {
  const result = await runCli(['--version']);
  assert.is(result.code, 0);
  assert.match(result.stdout, /^\d+\.\d+\.\d+/);
});

test('--help lists the global options', async () => {
  const result = await runCli(['--help']);
  assert.is(result.code, 0);
  for (const flag of ['--kubeconfig', '--context', '--repo', '--log-format', '--verbose'])
    assert.ok(result.stdout.includes(flag), flag);
});

test('an unknown command is one sentence and exit 2', async () => {
  const result = await runCli(['frobnicate']);
  assert.is(result.code, 2);
  assert.match(result.stderr, /^error: unknown command 'frobnicate'/);
  assert.not.match(result.stderr, /\n\s+at /);
});

test('an unknown flag is one sentence and exit 2', async () => {
  const result = await runCli(['--no-such-flag']);
  assert.is(result.code, 2);
  assert.match(result.stderr, /unknown option '--no-such-flag'/);
  assert.not.match(result.stderr, /\n\s+at /);
});

test('a bad --log-format value is refused with exit 2', async () => {
  const result = await runCli(['--log-format', 'xml', '--help']);
  assert.is(result.code, 2);
  assert.match(result.stderr, /--log-format/);
});

test.run();
