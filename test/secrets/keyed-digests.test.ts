// Redacted Secret values through the real CLI: keyed digests (HMAC-SHA256) under a key that stays beside the
// repository and never travels with it, a key that persists between runs, and a key change as one labelled commit.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { DIGEST_KEY_CHANGED_SUBJECT } from '../../lib/history/index.ts';
import { runCli } from '../helpers/cli.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { git, run } from '../helpers/processes.ts';
import { simulatorSuite, type SimulatorContext } from '../helpers/simulator-suite.ts';

const fixtureDir = new URL('../fixtures/cluster/', import.meta.url).pathname;
const SECRET = 's3cr3t-do-not-commit';
const SECRET_B64 = Buffer.from(SECRET).toString('base64');
const SECRET_SHA256 = createHash('sha256').update(SECRET).digest('hex');

interface Context extends SimulatorContext {
  /** The repository the CLI writes (bare: its git folder is the folder itself). */
  repo: string;
  kubesnap(args: string[], env?: NodeJS.ProcessEnv, repo?: string): ReturnType<typeof runCli>;
}

const digests = simulatorSuite<Context>('keyed digests', { seeded: false, prefix: 'kubesnap-digests-' });

digests.before(async (context) => {
  context.repo = join(context.tmp.path, 'repo');
  context.kubesnap = (args, env = {}, repo = context.repo) =>
    runCli(['--kubeconfig', context.sim.kubeconfigPath, '--repo', repo, ...args], {
      env: { KUBESNAP_DIGEST_KEY_FILE: '', ...env },
    });
  for (const file of ['00-namespaces.yaml', '05-crd.yaml', '10-shop.yaml', '20-payments.yaml']) {
    const created = await kubectl(context.sim.kubeconfigPath, ['create', '-f', join(fixtureDir, file)]);
    assert.is(created.code, 0, created.stderr);
  }
});

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

/** Every object of a repository, decompressed, as one text. */
async function allObjects(gitdir: string): Promise<string> {
  const result = await run('git', ['--git-dir', gitdir, 'cat-file', '--batch-all-objects', '--batch']);
  assert.is(result.code, 0, result.stderr);
  return result.stdout;
}

/** Neither the key file nor the key's text is anywhere in `dir`: not in a file, not in an object. */
async function assertKeyAbsent(dir: string, gitdir: string, key: string, what: string): Promise<void> {
  for (const path of filesUnder(dir)) {
    assert.not.ok(path.endsWith('kubesnap-digest-key'), `${what}: ${path}`);
    assert.not.ok(readFileSync(path).includes(key), `${what}: the key is in ${path}`);
  }
  assert.not.ok((await allObjects(gitdir)).includes(key), `${what}: the key is in an object`);
}

digests(
  'a snapshot commits keyed digests: never the value, its base64 or its plain sha256, in any object or output',
  async ({ kubesnap, repo }) => {
    const result = await kubesnap(['snapshot']);
    assert.is(result.code, 0, result.stderr);
    const secret = await git(repo, 'show', 'HEAD:shop/secrets/web-credentials.yaml');
    assert.match(secret, /password: hmac-sha256:[0-9a-f]{64}\n/);
    for (const text of [await allObjects(repo), await git(repo, 'log', '--all', '-p'), result.stdout, result.stderr]) {
      for (const forbidden of [SECRET, SECRET_B64, SECRET_SHA256])
        assert.not.ok(text.includes(forbidden), `found ${forbidden}`);
    }
    assert.match(
      await git(repo, 'show', 'HEAD:README.md'),
      /\| Secrets \| values replaced by keyed digests \(HMAC-SHA256, digest key id [0-9a-f]{16}\)/,
    );
  },
);

digests(
  'the default key is kept beside the repository, private, and persists: a second snapshot commits nothing',
  async ({ kubesnap, repo }) => {
    const keyFile = join(repo, 'kubesnap-digest-key');
    assert.is(statSync(keyFile).mode & 0o777, 0o600);
    assert.match(readFileSync(keyFile, 'utf8'), /^[0-9a-f]{64}\n$/);
    const head = (await git(repo, 'rev-parse', 'HEAD')).trim();
    const again = await kubesnap(['snapshot']);
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stdout, /no commit, nothing changed/);
    assert.is((await git(repo, 'rev-parse', 'HEAD')).trim(), head);
  },
);

digests('the key is in no clone (local, --no-local, --mirror) and no push', async ({ repo, tmp }) => {
  const key = readFileSync(join(repo, 'kubesnap-digest-key'), 'utf8').trim();
  for (const [name, args] of [
    ['clone-local', []],
    ['clone-no-local', ['--no-local']],
    ['clone-mirror', ['--mirror']],
  ] as const) {
    const target = join(tmp.path, name);
    await git(tmp.path, 'clone', ...args, repo, target);
    await assertKeyAbsent(target, args[0] === '--mirror' ? target : join(target, '.git'), key, name);
  }
  const remote = join(tmp.path, 'remote.git');
  await git(tmp.path, 'init', '--bare', '--quiet', remote);
  await git(repo, 'push', '--quiet', remote, 'HEAD:refs/heads/main');
  await assertKeyAbsent(remote, remote, key, 'push');
});

digests(
  "diff --live and restore compare under the repository's key; a clone without it says the Secret is redacted",
  async ({ kubesnap, repo, tmp }) => {
    const drift = await kubesnap(['diff', '--live']);
    assert.is(drift.code, 0, drift.stdout + drift.stderr);
    assert.not.match(drift.stdout, /Secret/);
    const plan = await kubesnap(['restore', 'HEAD', '-n', 'shop', '--dry-run']);
    assert.not.match(plan.stdout, /web-credentials/, plan.stdout);
    const clone = join(tmp.path, 'clone-without-key');
    await git(tmp.path, 'clone', '--bare', '--quiet', repo, clone);
    const elsewhere = await kubesnap(['restore', 'HEAD', '-n', 'shop', '--dry-run'], {}, clone);
    assert.match(elsewhere.stdout, /Secret\/shop\/web-credentials [^\n]*cannot restore redacted values/);
    assert.not.ok(elsewhere.stdout.includes(SECRET) || elsewhere.stderr.includes(SECRET));
  },
);

digests(
  'a new key (--digest-key-file or $KUBESNAP_DIGEST_KEY_FILE) is one commit labelled as such, and nothing after',
  async ({ kubesnap, repo, tmp }) => {
    const before = await git(repo, 'show', 'HEAD:shop/secrets/web-credentials.yaml');
    const keyFile = join(tmp.path, 'digest-key');
    writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`);
    const changed = await kubesnap(['snapshot', '--digest-key-file', keyFile]);
    assert.is(changed.code, 0, changed.stderr);
    assert.is((await git(repo, 'log', '-1', '--format=%s')).trim(), DIGEST_KEY_CHANGED_SUBJECT);
    const files = (await git(repo, 'show', '--name-only', '--format=', 'HEAD')).trim().split('\n');
    assert.ok(
      files.length > 1 && files.every((path) => path === 'README.md' || path.includes('/secrets/')),
      files.join(', '),
    );
    assert.is.not(await git(repo, 'show', 'HEAD:shop/secrets/web-credentials.yaml'), before);
    const head = (await git(repo, 'rev-parse', 'HEAD')).trim();
    const again = await kubesnap(['snapshot'], { KUBESNAP_DIGEST_KEY_FILE: keyFile });
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stdout, /no commit, nothing changed/);
    assert.is((await git(repo, 'rev-parse', 'HEAD')).trim(), head);
    const drift = await kubesnap(['diff', '--live', '--digest-key-file', keyFile]);
    assert.not.match(drift.stdout, /Secret/);
  },
);

digests('a key file too short to be a key, or missing, is one sentence and exit 2', async ({ kubesnap, tmp }) => {
  const short = join(tmp.path, 'short-key');
  writeFileSync(short, 'pin1234\n');
  const result = await kubesnap(['snapshot', '--digest-key-file', short]);
  assert.is(result.code, 2);
  assert.match(result.stderr, /^error: --digest-key-file \S+ holds 7 bytes; a digest key needs at least 16/);
  assert.not.match(result.stderr, /pin1234/);
  const missing = await kubesnap(['snapshot', '--digest-key-file', join(tmp.path, 'nothing-here')]);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /^error: --digest-key-file \S+ cannot be read: ENOENT\.\n$/);
  const fromEnvironment = await kubesnap(['snapshot'], { KUBESNAP_DIGEST_KEY_FILE: join(tmp.path, 'nothing-here') });
  assert.is(fromEnvironment.code, 2);
  assert.match(fromEnvironment.stderr, /^error: KUBESNAP_DIGEST_KEY_FILE \S+ cannot be read: ENOENT\.\n$/);
});

digests.run();
