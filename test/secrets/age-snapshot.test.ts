// `kubesnap snapshot --age-recipient`: the real bin against lib/sim, the real git to read what was
// committed, the real age to decrypt it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseObject } from '../../lib/layout/index.ts';
import { runCli } from '../helpers/cli.ts';
import { git } from '../helpers/processes.ts';
import {
  ageDecrypt,
  assertNoPlaintext,
  NEW_PASSWORD,
  PASSWORD,
  SECRET_PATH,
  startAgeCluster,
  USER,
  type AgeCluster,
} from './age-setup.ts';

let cluster: AgeCluster;

const kubesnap = (...args: string[]) =>
  runCli([...args, '--repo', cluster.repo, '--kubeconfig', cluster.sim.kubeconfigPath]);
const head = async () => (await git(cluster.repo, 'rev-parse', 'HEAD')).trim();

async function committedSecret(): Promise<{
  data: Record<string, string>;
  metadata: { annotations: Record<string, string> };
}> {
  return parseObject(await git(cluster.repo, 'show', `HEAD:${SECRET_PATH}`)) as any;
}

test.before(async () => {
  cluster = await startAgeCluster();
});

test.after(async () => {
  await cluster.stop();
});

test('snapshot with a recipient commits no plaintext, and age -d opens each value', async () => {
  const result = await kubesnap('snapshot', '--age-recipient', cluster.keys[0].recipient);
  assert.is(result.code, 0, result.stderr);
  assertNoPlaintext(await git(cluster.repo, 'log', '-p', '--all'), [PASSWORD, USER]);
  assertNoPlaintext(result.stdout + result.stderr, [PASSWORD, USER]);
  const secret = await committedSecret();
  assert.ok(secret.data.password.startsWith('-----BEGIN AGE ENCRYPTED FILE-----'));
  assert.is(await ageDecrypt(secret.data.password, cluster.keys[0].file), PASSWORD);
  assert.is(await ageDecrypt(secret.data.user, cluster.keys[0].file), USER);
  const digests = JSON.parse(secret.metadata.annotations['kubesnap.io/encrypted-values']);
  assert.equal(Object.keys(digests), ['password', 'user']);
  assert.match(digests.password, /^hmac-sha256:[0-9a-f]{64}$/);
  assert.match(await git(cluster.repo, 'show', 'HEAD:README.md'), /encrypted with age/);
});

test('a second snapshot with nothing changed makes no commit', async () => {
  const before = await head();
  const result = await kubesnap('snapshot', '--age-recipient', cluster.keys[0].recipient);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /no commit/);
  assert.is(await head(), before);
});

test('a changed value gives exactly one changed ciphertext', async () => {
  const before = await committedSecret();
  await cluster.setPassword(NEW_PASSWORD);
  const result = await kubesnap('snapshot', '--age-recipient', cluster.keys[0].recipient);
  assert.is(result.code, 0, result.stderr);
  assert.equal(
    (await git(cluster.repo, 'diff', '--name-only', 'HEAD~1', 'HEAD'))
      .trim()
      .split('\n')
      .filter((p) => p !== 'README.md'),
    [SECRET_PATH],
  );
  const after = await committedSecret();
  assert.is(after.data.user, before.data.user);
  assert.is.not(after.data.password, before.data.password);
  assert.is(await ageDecrypt(after.data.password, cluster.keys[0].file), NEW_PASSWORD);
  assertNoPlaintext(await git(cluster.repo, 'log', '-p', '--all'), [PASSWORD, NEW_PASSWORD, USER]);
});

test('new recipients re-encrypt every value once, then nothing', async () => {
  const before = await committedSecret();
  const recipientsFile = join(cluster.tmp.path, 'recipients.txt');
  writeFileSync(recipientsFile, `# the team\n${cluster.keys[1].recipient}\n`);
  const first = await kubesnap('snapshot', '--age-recipients-file', recipientsFile);
  assert.is(first.code, 0, first.stderr);
  const after = await committedSecret();
  assert.is.not(after.data.user, before.data.user);
  assert.is.not(after.data.password, before.data.password);
  assert.is(await ageDecrypt(after.data.user, cluster.keys[1].file), USER);
  const commit = await head();
  const second = await kubesnap('snapshot', '--age-recipients-file', recipientsFile);
  assert.is(second.code, 0, second.stderr);
  assert.is(await head(), commit);
});

test('a bad recipient or --secrets plain with a recipient is a usage error', async () => {
  const bad = await kubesnap('snapshot', '--age-recipient', 'age1notarecipient');
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /not an age X25519 recipient/);
  const mixed = await kubesnap('snapshot', '--age-recipient', cluster.keys[0].recipient, '--secrets', 'plain');
  assert.is(mixed.code, 2);
  assert.match(mixed.stderr, /cannot be combined with --secrets plain/);
});

test.run();
