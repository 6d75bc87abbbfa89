// `secrets: plain` weakens what is committed: from a configuration file (./kubesnap.yaml, --config) or the
// environment it is warned about on every run, naming where it came from; `--secrets plain` is the only silent way.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { git } from '../helpers/processes.ts';
import { simulatorSuite, type SimulatorContext } from '../helpers/simulator-suite.ts';

const fixtureDir = new URL('../fixtures/cluster/', import.meta.url).pathname;
const SECRET = 's3cr3t-do-not-commit';
const SECRET_B64 = Buffer.from(SECRET).toString('base64');

interface Context extends SimulatorContext {
  repos: number;
  /** A snapshot into a new repository, run in `cwd`, with no KUBESNAP_* from the machine running the tests. */
  snapshot(
    cwd: string,
    args?: string[],
    env?: NodeJS.ProcessEnv,
  ): Promise<{ code: number | null; stderr: string; committed: string }>;
}

const warning = simulatorSuite<Context>('secrets: plain outside the command line', {
  seeded: false,
  prefix: 'kubesnap-plain-',
});

warning.before(async (context) => {
  context.repos = 0;
  for (const file of ['00-namespaces.yaml', '05-crd.yaml', '10-shop.yaml']) {
    const created = await kubectl(context.sim.kubeconfigPath, ['create', '-f', join(fixtureDir, file)]);
    assert.is(created.code, 0, created.stderr);
  }
  const isolated: NodeJS.ProcessEnv = {};
  for (const name of Object.keys(process.env)) if (name.startsWith('KUBESNAP_')) isolated[name] = undefined;
  context.snapshot = async (cwd, args = [], env = {}) => {
    const repo = join(context.tmp.path, `repo-${context.repos++}`);
    const result = await runCli(
      [
        '--kubeconfig',
        context.sim.kubeconfigPath,
        '--repo',
        repo,
        ...args.filter((arg) => arg.startsWith('--config')),
        'snapshot',
        ...args.filter((arg) => !arg.startsWith('--config')),
      ],
      { cwd, env: { ...isolated, ...env } },
    );
    const committed = result.code === 0 ? await git(repo, 'show', 'HEAD:shop/secrets/web-credentials.yaml') : '';
    return { code: result.code, stderr: result.stderr, committed };
  };
});

function project(context: Context, name: string, config?: string): string {
  const dir = join(context.tmp.path, name);
  mkdirSync(dir);
  if (config !== undefined) writeFileSync(join(dir, 'kubesnap.yaml'), config);
  return dir;
}

const warningLines = (stderr: string) =>
  stderr.split('\n').filter((line) => line.startsWith('warning: Secret values are stored readable'));

warning('./kubesnap.yaml with secrets: plain warns on every run, naming the file and the key', async (context) => {
  const dir = project(context, 'working-folder', 'snapshot:\n  secrets: plain\n');
  for (let run = 0; run < 2; run++) {
    const result = await context.snapshot(dir);
    assert.is(result.code, 0, result.stderr);
    assert.equal(warningLines(result.stderr), [
      `warning: Secret values are stored readable because ${join(dir, 'kubesnap.yaml')} (snapshot.secrets) sets secrets: plain; only --secrets plain on the command line does so without this warning.`,
    ]);
    assert.match(result.committed, new RegExp(`password: ${SECRET_B64}`), 'what was asked for is still done');
  }
});

warning('--config FILE with secrets: plain warns, naming that file', async (context) => {
  const dir = project(context, 'named-config');
  const file = join(dir, 'team.yaml');
  writeFileSync(file, 'snapshot:\n  secrets: plain\n');
  const result = await context.snapshot(dir, [`--config=${file}`]);
  assert.is(result.code, 0, result.stderr);
  assert.is(warningLines(result.stderr).length, 1);
  assert.ok(warningLines(result.stderr)[0].includes(`${file} (snapshot.secrets)`), result.stderr);
});

warning('the environment (KUBESNAP_SNAPSHOT_SECRETS=plain) warns, naming the variable', async (context) => {
  const result = await context.snapshot(project(context, 'from-env'), [], { KUBESNAP_SNAPSHOT_SECRETS: 'plain' });
  assert.is(result.code, 0, result.stderr);
  assert.equal(warningLines(result.stderr), [
    'warning: Secret values are stored readable because the environment (KUBESNAP_SNAPSHOT_SECRETS) sets secrets: plain; only --secrets plain on the command line does so without this warning.',
  ]);
});

warning(
  '--secrets plain on the command line is silent, even over a file that says plain; redact from a file is silent too',
  async (context) => {
    const flagged = await context.snapshot(project(context, 'flag', 'snapshot:\n  secrets: plain\n'), [
      '--secrets',
      'plain',
    ]);
    assert.is(flagged.code, 0, flagged.stderr);
    assert.is(flagged.stderr, '');
    assert.match(flagged.committed, new RegExp(`password: ${SECRET_B64}`));
    const redacted = await context.snapshot(project(context, 'redact', 'snapshot:\n  secrets: redact\n'), [], {
      KUBESNAP_SNAPSHOT_SECRETS: 'plain',
    });
    assert.is(redacted.code, 0, redacted.stderr);
    assert.is(redacted.stderr, '');
    assert.match(redacted.committed, /password: hmac-sha256:/);
  },
);

warning.run();
