import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commandTree, configurableOptions, configurationProblems, envName } from '../../cli/config.ts';
import { buildProgram } from '../../cli/main.ts';
import { UsageError } from '../../lib/errors/index.ts';
import { runCli } from '../helpers/cli.ts';
import { temporaryDirectory } from '../helpers/processes.ts';

const example = new URL('../../templates/kubesnap.example.yaml', import.meta.url).pathname;
let dir: ReturnType<typeof temporaryDirectory>;
/** No kubeconfig, no pod, no KUBESNAP_* from the machine running the tests. */
let isolatedEnv: NodeJS.ProcessEnv;

test.before(() => {
  dir = temporaryDirectory('kubesnap-config-');
  mkdirSync(join(dir.path, 'home'));
  isolatedEnv = { HOME: join(dir.path, 'home'), KUBECONFIG: '', KUBERNETES_SERVICE_HOST: '' };
  for (const name of Object.keys(process.env)) if (name.startsWith('KUBESNAP_')) isolatedEnv[name] = undefined;
});
test.after(() => dir.remove());

function writeConfig(name: string, text: string): string {
  const file = join(dir.path, name);
  writeFileSync(file, text);
  return file;
}

/** `kubesnap log` fails on a missing repository and names it: a cheap way to see which --repo won. */
async function repoSeenBy(args: string[], env: NodeJS.ProcessEnv = {}, cwd = dir.path): Promise<string> {
  const result = await runCli([...args, 'log'], { cwd, env: { ...isolatedEnv, ...env } });
  assert.is(result.code, 2, result.stderr);
  const match = /There is no git repository at (\S+?)\.?\n/.exec(result.stderr);
  assert.ok(match, result.stderr);
  return match![1];
}

test('precedence: flag over file over environment over default', async () => {
  const config = writeConfig('precedence.yaml', 'repo: /from-file\n');
  assert.is(await repoSeenBy([], { KUBESNAP_REPO: '/from-env' }), '/from-env');
  assert.is(await repoSeenBy(['--config', config], { KUBESNAP_REPO: '/from-env' }), '/from-file');
  assert.is(
    await repoSeenBy(['--config', config, '--repo', '/from-flag'], { KUBESNAP_REPO: '/from-env' }),
    '/from-flag',
  );
});

test('./kubesnap.yaml in the working directory is read without --config', async () => {
  const cwd = join(dir.path, 'project');
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'kubesnap.yaml'), 'repo: /from-working-directory\n');
  assert.is(await repoSeenBy([], {}, cwd), '/from-working-directory');
});

test('a command section reaches the command (real CLI)', async () => {
  const config = writeConfig('watch.yaml', 'watch:\n  batch: soon\n');
  const result = await runCli(['--config', config, 'watch'], { cwd: dir.path, env: isolatedEnv });
  assert.is(result.code, 2);
  assert.match(result.stderr, /watch\.batch in \S*watch\.yaml "soon" is not a duration/);
});

/** The program in this process: the error the action (or the configuration) ends with. */
async function failureOf(args: string[], env: Record<string, string> = {}): Promise<Error> {
  const saved = { ...process.env };
  Object.assign(process.env, isolatedEnv, env);
  for (const [name, value] of Object.entries(isolatedEnv)) if (value === undefined) delete process.env[name];
  try {
    await buildProgram().parseAsync(['node', 'kubesnap', ...args]);
  } catch (error) {
    return error as Error;
  } finally {
    process.env = saved;
  }
  throw new Error(`kubesnap ${args.join(' ')} did not fail`);
}

test('in a section: a flag overrides the file, the file overrides the environment', async () => {
  const soon = writeConfig('watch-soon.yaml', 'watch:\n  batch: soon\n');
  assert.match((await failureOf(['--config', soon, 'watch', '--batch', '1s'])).message, /no kubeconfig found/);
  assert.match(
    (await failureOf(['watch'], { KUBESNAP_WATCH_BATCH: 'later' })).message,
    /KUBESNAP_WATCH_BATCH "later" is not a duration/,
  );
  const fine = writeConfig('watch-fine.yaml', 'watch:\n  batch: 2s\n');
  assert.match(
    (await failureOf(['--config', fine, 'watch'], { KUBESNAP_WATCH_BATCH: 'later' })).message,
    /no kubeconfig found/,
  );
  assert.match(
    (await failureOf(['log'], { KUBESNAP_CONFIG: writeConfig('named.yaml', 'repo: /named-by-env\n') })).message,
    /\/named-by-env/,
  );
  assert.match((await failureOf(['log'])).message, /kubesnap-snapshots/);
});

test('lists and true/false values work as the repeated flag and the bare flag', async () => {
  const config = writeConfig('lists.yaml', 'snapshot:\n  namespace: [shop, payments]\n  all-namespaces: true\n');
  assert.match(
    (await failureOf(['--config', config, 'snapshot'])).message,
    /--namespace and --all-namespaces cannot be used together/,
  );
});

test('files that are not a mapping, not YAML or not there are usage errors', async () => {
  for (const [text, message] of [
    ['- a\n- b\n', /must be a mapping/],
    ['repo: [\n', /is not valid YAML/],
  ] as const) {
    const error = await failureOf(['--config', writeConfig('bad.yaml', text), 'log']);
    assert.instance(error, UsageError);
    assert.match(error.message, message);
  }
  assert.match(
    (await failureOf(['--config', join(dir.path, 'absent.yaml'), 'log'])).message,
    /configuration file .*absent\.yaml does not exist/,
  );
});

test('environment values are checked: true/false for bare flags, choices for others', async () => {
  assert.match(
    (await failureOf(['snapshot'], { KUBESNAP_SNAPSHOT_EXPLAIN: 'maybe' })).message,
    /KUBESNAP_SNAPSHOT_EXPLAIN="maybe" is not true or false/,
  );
  assert.match(
    (await failureOf(['log'], { KUBESNAP_LOG_FORMAT: 'xml' })).message,
    /KUBESNAP_LOG_FORMAT "xml" is invalid: Allowed choices are text, json/,
  );
});

test('a required flag can come from the file or the environment; when missing, the error says where it may come from', async () => {
  const missing = await failureOf(['etcd', 'snapshot']);
  assert.instance(missing, UsageError);
  assert.match(
    missing.message,
    /required option '--endpoints <urls>' not specified \(as a flag, in kubesnap\.yaml or as KUBESNAP_ETCD_SNAPSHOT_ENDPOINTS\)/,
  );
  const config = writeConfig('etcd.yaml', 'etcd:\n  snapshot:\n    endpoints: http://127.0.0.1:1\n');
  assert.match((await failureOf(['--config', config, 'etcd', 'snapshot'])).message, /required option '--dir <dir>'/);
  assert.match(
    (await failureOf(['etcd', 'snapshot'], { KUBESNAP_ETCD_SNAPSHOT_ENDPOINTS: 'http://127.0.0.1:1' })).message,
    /required option '--dir <dir>'/,
  );
});

test('the example file is valid for the program as it is', () => {
  const problems = configurationProblems(
    buildProgram(),
    load(readFileSync(example, 'utf8')) as Record<string, unknown>,
  );
  assert.equal(problems, []);
});

test('no two options share an environment variable, and none takes KUBESNAP_CONFIG', () => {
  const seen = new Map<string, string>();
  for (const command of commandTree(buildProgram())) {
    for (const option of configurableOptions(command)) {
      const name = envName(command, option);
      assert.is(seen.get(name), undefined, `${name} is both ${seen.get(name)} and ${command.name()} ${option.flags}`);
      seen.set(name, `${command.name()} ${option.flags}`);
    }
  }
  assert.is(seen.has('KUBESNAP_CONFIG'), false);
  assert.ok(
    seen.has('KUBESNAP_WATCH_BATCH') && seen.has('KUBESNAP_REPO') && seen.has('KUBESNAP_ETCD_SNAPSHOT_ENDPOINTS'),
  );
});

test.run();
