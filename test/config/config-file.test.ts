import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commandTree, configurableOptions, configurationProblems, envName } from '../../cli/config.ts';
import { buildProgram } from '../../cli/main.ts';
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
  assert.ok((await repoSeenBy([])).endsWith('/kubesnap-snapshots'));
  assert.is(await repoSeenBy([], { KUBESNAP_REPO: '/from-env' }), '/from-env');
  assert.is(await repoSeenBy(['--config', config], { KUBESNAP_REPO: '/from-env' }), '/from-file');
  assert.is(await repoSeenBy(['--config', config, '--repo', '/from-flag'], { KUBESNAP_REPO: '/from-env' }), '/from-flag');
  assert.is(await repoSeenBy([], { KUBESNAP_CONFIG: config }), '/from-file');
});

test('./kubesnap.yaml in the working directory is read without --config', async () => {
  const cwd = join(dir.path, 'project');
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'kubesnap.yaml'), 'repo: /from-working-directory\n');
  assert.is(await repoSeenBy([], {}, cwd), '/from-working-directory');
});

test('a command section reaches the command, a flag overrides it, and it overrides the environment', async () => {
  const config = writeConfig('watch.yaml', 'watch:\n  batch: soon\n');
  let result = await runCli(['--config', config, 'watch'], { cwd: dir.path, env: isolatedEnv });
  assert.is(result.code, 2);
  assert.match(result.stderr, /--batch "soon" is not a duration/);
  // The flag wins: the command goes on to look for a cluster, and there is none.
  result = await runCli(['--config', config, 'watch', '--batch', '1s'], { cwd: dir.path, env: isolatedEnv });
  assert.is(result.code, 2);
  assert.match(result.stderr, /no kubeconfig found/);
  result = await runCli(['watch'], { cwd: dir.path, env: { ...isolatedEnv, KUBESNAP_WATCH_BATCH: 'later' } });
  assert.match(result.stderr, /--batch "later" is not a duration/);
  const fine = writeConfig('watch-fine.yaml', 'watch:\n  batch: 2s\n');
  result = await runCli(['--config', fine, 'watch'], { cwd: dir.path, env: { ...isolatedEnv, KUBESNAP_WATCH_BATCH: 'later' } });
  assert.match(result.stderr, /no kubeconfig found/);
});

test('lists and true/false values work as the repeated flag and the bare flag', async () => {
  const config = writeConfig('lists.yaml', 'snapshot:\n  namespace: [shop, payments]\n  all-namespaces: true\n');
  const result = await runCli(['--config', config, 'snapshot'], { cwd: dir.path, env: isolatedEnv });
  assert.is(result.code, 2);
  assert.match(result.stderr, /--namespace and --all-namespaces cannot be used together/);
});

test('every unknown key and wrong value is named, each in one sentence, with exit 2', async () => {
  const config = writeConfig('wrong.yaml', [
    'colour: red',
    'log-format: xml',
    'watch:',
    '  bacth: 5s',
    '  batch: [1s, 2s]',
    '  include-owned: "yes"',
    'wtach: {}',
    'etcd:',
    '  snapshot:',
    '    endpoints: {a: 1}',
  ].join('\n') + '\n');
  const result = await runCli(['--config', config, 'log'], { cwd: dir.path, env: isolatedEnv });
  assert.is(result.code, 2);
  const lines = result.stderr.trim().split('\n');
  const expected = [
    /unknown key "colour"/,
    /"log-format" "xml" is invalid: Allowed choices are text, json/,
    /unknown key "watch\.bacth" \(kubesnap watch takes: .*batch, batch-max/,
    /"watch\.batch" takes one value, not a list/,
    /"watch\.include-owned" takes true or false, not the text "yes"/,
    /unknown key "wtach"/,
    /"etcd\.snapshot\.endpoints" takes a value like a string or a number, not a section/,
  ];
  assert.is(lines.length, expected.length, result.stderr);
  expected.forEach((pattern, index) => {
    assert.match(lines[index], pattern);
    assert.ok(lines[index].includes('wrong.yaml: '), lines[index]);
  });
});

test('files that are not a mapping, not YAML or not there are usage errors', async () => {
  for (const [text, message] of [['- a\n- b\n', /must be a mapping/], ['repo: [\n', /is not valid YAML/]] as const) {
    const result = await runCli(['--config', writeConfig('bad.yaml', text), 'log'], { cwd: dir.path, env: isolatedEnv });
    assert.is(result.code, 2);
    assert.match(result.stderr, message);
  }
  const missing = await runCli(['--config', join(dir.path, 'absent.yaml'), 'log'], { cwd: dir.path, env: isolatedEnv });
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /configuration file .*absent\.yaml does not exist/);
});

test('environment values are checked: true/false for bare flags, choices for others', async () => {
  let result = await runCli(['snapshot'], { cwd: dir.path, env: { ...isolatedEnv, KUBESNAP_SNAPSHOT_EXPLAIN: 'maybe' } });
  assert.is(result.code, 2);
  assert.match(result.stderr, /KUBESNAP_SNAPSHOT_EXPLAIN="maybe" is not true or false/);
  result = await runCli(['log'], { cwd: dir.path, env: { ...isolatedEnv, KUBESNAP_LOG_FORMAT: 'xml' } });
  assert.is(result.code, 2);
  assert.match(result.stderr, /KUBESNAP_LOG_FORMAT "xml" is invalid: Allowed choices are text, json/);
});

test('a required flag can come from the file or the environment; when missing, the error says where it may come from', async () => {
  const result = await runCli(['etcd', 'snapshot'], { cwd: dir.path, env: isolatedEnv });
  assert.is(result.code, 2);
  assert.match(result.stderr, /required option '--endpoints <urls>' not specified \(as a flag, in kubesnap\.yaml or as KUBESNAP_ETCD_SNAPSHOT_ENDPOINTS\)/);
  const fromEnv = await runCli(['etcd', 'snapshot', '--dir', dir.path], { cwd: dir.path, env: { ...isolatedEnv, KUBESNAP_ETCD_SNAPSHOT_ENDPOINTS: 'http://127.0.0.1:1' } });
  assert.not.match(fromEnv.stderr, /required option/);
});

test('the example file is valid for the program as it is', () => {
  const problems = configurationProblems(buildProgram(), load(readFileSync(example, 'utf8')) as Record<string, unknown>);
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
  assert.ok(seen.has('KUBESNAP_WATCH_BATCH') && seen.has('KUBESNAP_REPO') && seen.has('KUBESNAP_ETCD_SNAPSHOT_ENDPOINTS'));
});

test.run();
