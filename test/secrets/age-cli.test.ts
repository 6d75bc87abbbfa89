// Encrypted Secrets end to end: the real bin against lib/sim, the real git to read what was
// committed, and the real age to decrypt it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseObject } from '../../lib/layout/index.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { git, kubectl, run, temporaryDirectory } from '../helpers/processes.ts';

const fixtureDir = new URL('../fixtures/cluster/', import.meta.url).pathname;
const SECRET_PATH = 'shop/secrets/db.yaml';
const PASSWORD = 'hunter2-first-password';
const NEW_PASSWORD = 'correct-horse-battery-staple';
const USER = 'admin-user-name';

let sim: Simulator;
let tmp: { path: string; remove(): void };
let repo: string;
const keys: Array<{ file: string; recipient: string }> = [];

async function kube(...args: string[]): Promise<string> {
  const result = await kubectl(sim.kubeconfigPath, args);
  assert.is(result.code, 0, `kubectl ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

async function kubesnap(...args: string[]) {
  return runCli([...args, '--repo', repo, '--kubeconfig', sim.kubeconfigPath]);
}

async function head(): Promise<string> {
  return (await git(repo, 'rev-parse', 'HEAD')).trim();
}

async function committedSecret(rev = 'HEAD'): Promise<{ data: Record<string, string>; metadata: { annotations: Record<string, string> } }> {
  return parseObject(await git(repo, 'show', `${rev}:${SECRET_PATH}`)) as any;
}

async function ageDecrypt(ciphertext: string, identityFile: string): Promise<string> {
  const result = await run('age', ['-d', '-i', identityFile], { input: ciphertext });
  assert.is(result.code, 0, result.stderr);
  return result.stdout;
}

function assertNoPlaintext(text: string, values: string[]): void {
  for (const value of values) {
    assert.not.ok(text.includes(value), 'a plaintext value is in the output');
    assert.not.ok(text.includes(Buffer.from(value).toString('base64')), 'a base64 value is in the output');
    assert.not.ok(text.includes(createHash('sha256').update(value).digest('hex')), 'an unkeyed digest of a value is in the output');
  }
}

test.before(async () => {
  sim = await startSimulator();
  tmp = temporaryDirectory('kubesnap-age-');
  repo = join(tmp.path, 'repo');
  for (const file of ['00-namespaces.yaml', '05-crd.yaml', '10-shop.yaml']) await kube('create', '-f', join(fixtureDir, file));
  await kube('create', 'secret', 'generic', 'db', '-n', 'shop', `--from-literal=password=${PASSWORD}`, `--from-literal=user=${USER}`);
  for (const name of ['one', 'two']) {
    const file = join(tmp.path, `${name}.key`);
    const generated = await run('age-keygen', ['-o', file]);
    assert.is(generated.code, 0, generated.stderr);
    keys.push({ file, recipient: /age1[0-9a-z]+/.exec(readFileSync(file, 'utf8'))![0] });
  }
});

test.after(async () => {
  await sim.stop();
  tmp.remove();
});

test('snapshot with a recipient commits no plaintext, and age -d opens each value', async () => {
  const result = await kubesnap('snapshot', '--age-recipient', keys[0].recipient);
  assert.is(result.code, 0, result.stderr);
  assertNoPlaintext(await git(repo, 'log', '-p', '--all'), [PASSWORD, USER, 's3cr3t-do-not-commit']);
  assertNoPlaintext(result.stdout + result.stderr, [PASSWORD, USER]);
  const secret = await committedSecret();
  assert.ok(secret.data.password.startsWith('-----BEGIN AGE ENCRYPTED FILE-----'));
  assert.is(await ageDecrypt(secret.data.password, keys[0].file), PASSWORD);
  assert.is(await ageDecrypt(secret.data.user, keys[0].file), USER);
  const digests = JSON.parse(secret.metadata.annotations['kubesnap.io/encrypted-values']);
  assert.equal(Object.keys(digests), ['password', 'user']);
  assert.match(digests.password, /^hmac-sha256:[0-9a-f]{64}$/);
  assert.match(await git(repo, 'show', 'HEAD:README.md'), /encrypted with age/);
});

test('a second snapshot with nothing changed makes no commit', async () => {
  const before = await head();
  const result = await kubesnap('snapshot', '--age-recipient', keys[0].recipient);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /no commit/);
  assert.is(await head(), before);
});

test('a changed value gives exactly one changed ciphertext', async () => {
  const before = await committedSecret();
  await kube('patch', 'secret', 'db', '-n', 'shop', '-p', JSON.stringify({ data: { password: Buffer.from(NEW_PASSWORD).toString('base64') } }));
  const result = await kubesnap('snapshot', '--age-recipient', keys[0].recipient);
  assert.is(result.code, 0, result.stderr);
  assert.equal((await git(repo, 'diff', '--name-only', 'HEAD~1', 'HEAD')).trim().split('\n').filter((p) => p !== 'README.md'), [SECRET_PATH]);
  const after = await committedSecret();
  assert.is(after.data.user, before.data.user);
  assert.is.not(after.data.password, before.data.password);
  assert.is(await ageDecrypt(after.data.password, keys[0].file), NEW_PASSWORD);
  assertNoPlaintext(await git(repo, 'log', '-p', '--all'), [PASSWORD, NEW_PASSWORD, USER]);
});

test('new recipients re-encrypt every value once, then nothing', async () => {
  const before = await committedSecret();
  const recipientsFile = join(tmp.path, 'recipients.txt');
  writeFileSync(recipientsFile, `# the team\n${keys[1].recipient}\n`);
  const first = await kubesnap('snapshot', '--age-recipients-file', recipientsFile);
  assert.is(first.code, 0, first.stderr);
  const after = await committedSecret();
  assert.is.not(after.data.user, before.data.user);
  assert.is.not(after.data.password, before.data.password);
  assert.is(await ageDecrypt(after.data.user, keys[1].file), USER);
  const commit = await head();
  const second = await kubesnap('snapshot', '--age-recipients-file', recipientsFile);
  assert.is(second.code, 0, second.stderr);
  assert.is(await head(), commit);
});

test('diff --live: with the identity a changed value is named, never shown; without it the recipients tell which changed', async () => {
  await kube('patch', 'secret', 'db', '-n', 'shop', '-p', JSON.stringify({ data: { password: Buffer.from('drifted-password-value').toString('base64') } }));
  const withIdentity = await kubesnap('diff', '--live', '--age-identity', keys[1].file);
  assert.is(withIdentity.code, 0, withIdentity.stderr);
  assert.match(withIdentity.stdout, /db/);
  assert.match(withIdentity.stdout, /\(value changed\)/);
  assert.not.match(withIdentity.stdout, /kubesnap\.io\/encrypted-values/);
  assertNoPlaintext(withIdentity.stdout + withIdentity.stderr, ['drifted-password-value', NEW_PASSWORD, USER]);
  const shown = await kubesnap('diff', '--live', '--age-identity', keys[1].file, '--show-secrets');
  assert.ok(shown.stdout.includes(Buffer.from('drifted-password-value').toString('base64')), 'asked for, the live value is shown');

  const withRecipients = await kubesnap('diff', '--live', '--age-recipient', keys[1].recipient);
  assert.is(withRecipients.code, 0, withRecipients.stderr);
  assert.match(withRecipients.stdout, /data\.password/);
  assert.not.match(withRecipients.stdout, /data\.user/);
  assertNoPlaintext(withRecipients.stdout + withRecipients.stderr, ['drifted-password-value', NEW_PASSWORD, USER]);

  const withNothing = await kubesnap('diff', '--live');
  assert.is(withNothing.code, 2);
  assert.match(withNothing.stderr, /--age-identity/);
  await kube('patch', 'secret', 'db', '-n', 'shop', '-p', JSON.stringify({ data: { password: Buffer.from(NEW_PASSWORD).toString('base64') } }));
});

test('restore: without the identity the Secret is not restored; with it the deleted Secret comes back with its values', async () => {
  await kube('delete', 'secret', 'db', '-n', 'shop');
  const blocked = await kubesnap('restore', '-n', 'shop', '--yes');
  assert.is(blocked.code, 1);
  assert.match(blocked.stdout, /Secret\/shop\/db.*cannot restore encrypted values without --age-identity/);
  assertNoPlaintext(blocked.stdout + blocked.stderr, [NEW_PASSWORD, USER]);

  const restored = await kubesnap('restore', '-n', 'shop', '--yes', '--age-identity', keys[1].file);
  assert.is(restored.code, 0, restored.stdout + restored.stderr);
  assertNoPlaintext(restored.stdout + restored.stderr, [NEW_PASSWORD, USER]);
  const live = JSON.parse(await kube('get', 'secret', 'db', '-n', 'shop', '-o', 'json'));
  assert.is(Buffer.from(live.data.password, 'base64').toString(), NEW_PASSWORD);
  assert.is(Buffer.from(live.data.user, 'base64').toString(), USER);
  assert.is(live.metadata.annotations?.['kubesnap.io/encrypted-values'], undefined);

  const again = await kubesnap('snapshot', '--age-recipient', keys[1].recipient);
  assert.match(again.stdout, /no commit/, 'the restored Secret is what was committed');
});

test.run();
