// Secrets through kubesnap neat: redacted to keyed digests by default (the --repo repository's key when it has
// one, so the digests are the ones it holds; never a repository or a key created), readable only with --secrets plain.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { testDigestKey } from '../helpers/digest-key.ts';
import { apiserverDir, normalizedDir } from '../normalize/recorded-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubesnap-neat-secrets-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const secretJson = readFileSync(`${apiserverDir}objects/payments_secrets_api-credentials.json`, 'utf8');
const encodedValue = JSON.parse(secretJson).data.DB_PASSWORD as string;
const plainValue = Buffer.from(encodedValue, 'base64').toString('utf8');

async function neat(args: string[]): Promise<string> {
  const result = await runCli(['neat', ...args], { input: secretJson, cwd: dir });
  assert.is(result.stderr, '');
  assert.is(result.code, 0);
  return result.stdout;
}

test('values are redacted to hmac-sha256 digests by default, without a repository; none is created', async () => {
  const yaml = await neat([]);
  assert.match(yaml, /^  DB_PASSWORD: hmac-sha256:[0-9a-f]{64}$/m);
  assert.not.ok(yaml.includes(encodedValue));
  assert.not.ok(yaml.includes(plainValue));
  assert.equal(readdirSync(dir), []);
});

test("the digests are those of the --repo repository's key, which neat reads and never changes", async () => {
  const repo = join(dir, 'snapshots');
  execFileSync('git', ['init', '--quiet', '--bare', repo]);
  writeFileSync(join(repo, 'kubesnap-digest-key'), testDigestKey, { mode: 0o600 });
  const before = readdirSync(repo).sort();
  assert.is(
    await neat(['--repo', repo]),
    readFileSync(`${normalizedDir}objects/payments_secrets_api-credentials.yaml`, 'utf8'),
  );
  assert.equal(readdirSync(repo).sort(), before);
  rmSync(repo, { recursive: true });
});

test('a repository without a key gets none: the digests then use a key of this run only', async () => {
  const repo = join(dir, 'keyless');
  execFileSync('git', ['init', '--quiet', '--bare', repo]);
  assert.match(await neat(['--repo', repo]), /hmac-sha256:/);
  assert.not.ok(existsSync(join(repo, 'kubesnap-digest-key')));
  rmSync(repo, { recursive: true });
});

test('--secrets plain leaves the values as the input had them', async () => {
  const json = JSON.parse(await neat(['--secrets', 'plain', '-o', 'json']));
  assert.equal(json.data, { DB_PASSWORD: encodedValue });
});

test.run();
