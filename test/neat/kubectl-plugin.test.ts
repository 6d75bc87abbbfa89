// The package's kubectl-kubesnap, linked into a folder on PATH as npm links a package's bin: the real kubectl
// finds it (`kubectl plugin list`) and runs `kubectl kubesnap neat` and `kubectl kubesnap diff --live` through it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { kubectlOk } from '../helpers/kubectl.ts';
import { run } from '../helpers/processes.ts';
import { apiserverDir, normalizedDir } from '../normalize/recorded-fixtures.ts';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'kubesnap-neat-plugin-'));
const pathDir = join(dir, 'bin');
let sim: Simulator;

test.before(async () => {
  mkdirSync(pathDir);
  symlinkSync(
    fileURLToPath(new URL(`../../${packageJson.bin['kubectl-kubesnap']}`, import.meta.url)),
    join(pathDir, 'kubectl-kubesnap'),
  );
  sim = await startSimulator();
});

test.after(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** kubectl with the plugin's folder first on PATH; a plugin takes every flag after its name, so they come there. */
function kubectlWithPlugin(args: string[], input?: string) {
  return run(KUBECTL, args, {
    cwd: dir,
    input,
    env: { PATH: `${pathDir}:${process.env.PATH}`, KUBECONFIG: sim.kubeconfigPath, NO_COLOR: '1' },
  });
}

test('kubectl plugin list finds kubectl-kubesnap', async () => {
  const result = await kubectlWithPlugin(['plugin', 'list']);
  assert.match(result.stdout, join(pathDir, 'kubectl-kubesnap'));
});

test('kubectl kubesnap neat -f FILE cleans a recorded object as a snapshot stores it', async () => {
  const result = await kubectlWithPlugin([
    'kubesnap',
    'neat',
    '-f',
    `${apiserverDir}objects/shop_deployments.apps_web.json`,
  ]);
  assert.is(result.stderr, '');
  assert.is(result.code, 0);
  assert.fixture(result.stdout, readFileSync(`${normalizedDir}objects/shop_deployments.apps_web.yaml`, 'utf8'));
});

test('kubectl kubesnap diff --live compares a snapshot with the cluster of $KUBECONFIG', async () => {
  const repo = join(dir, 'snapshots');
  await kubectlOk(sim.kubeconfigPath, [
    'create',
    'configmap',
    'web-config',
    '-n',
    'default',
    '--from-literal=greeting=hello',
  ]);
  const snapshot = await runCli(['--kubeconfig', sim.kubeconfigPath, '--repo', repo, 'snapshot']);
  assert.is(snapshot.code, 0, snapshot.stderr);
  await kubectlOk(sim.kubeconfigPath, [
    'patch',
    'configmap',
    'web-config',
    '-n',
    'default',
    '-p',
    '{"data":{"greeting":"bonjour"}}',
  ]);
  const result = await kubectlWithPlugin(['kubesnap', 'diff', '--live', '--repo', repo]);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, 'default/configmaps/web-config.yaml');
  assert.match(result.stdout, 'bonjour');
});

test.run();
