// `kubesnap sim`: serves the seeded demo shop to the real kubectl until SIGTERM; bad seed YAML is exit 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { kubectlOk } from '../helpers/kubectl.ts';
import { startSimCli } from './running-sim.ts';

const demo = fileURLToPath(new URL('../../templates/demo/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kubesnap-sim-cli-'));

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('kubesnap sim --seed templates/demo serves the shop to kubectl and stops cleanly on SIGTERM', async () => {
  const kubeconfig = join(dir, 'kubeconfig');
  const sim = await startSimCli(kubeconfig, ['--seed', demo]);
  try {
    assert.match(
      sim.stdout(),
      /^Simulated Kubernetes API server at https:\/\/127\.0\.0\.1:\d+ \(\d+ objects seeded\)\./,
    );
    assert.match(sim.stdout(), `export KUBECONFIG=${kubeconfig}`);
    const deployments = await kubectlOk(kubeconfig, ['get', 'deployments', '-A', '-o', 'name']);
    assert.equal(deployments.trim().split('\n').sort(), [
      'deployment.apps/api',
      'deployment.apps/metrics-agent',
      'deployment.apps/web',
      'deployment.apps/worker',
    ]);
    const widgets = await kubectlOk(kubeconfig, ['-n', 'shop', 'get', 'widgets', '-o', 'name']);
    assert.is(widgets.trim(), 'widget.example.com/blue');
  } finally {
    assert.is(await sim.stop(), 0, sim.stderr());
  }
  assert.match(sim.stdout(), 'Stopped.');
});

test('bad seed YAML is one sentence and exit 2', async () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n');
  const result = await runCli(['sim', '--seed', bad]);
  assert.is(result.code, 2);
  assert.match(result.stderr, /^error: .*bad\.yaml is not valid YAML/);
  assert.is(result.stderr.trim().split('\n').length, 1);

  const unknown = join(dir, 'unknown.yaml');
  writeFileSync(unknown, 'apiVersion: nope.example/v1\nkind: Thing\nmetadata:\n  name: x\n');
  const second = await runCli(['sim', '--seed', unknown]);
  assert.is(second.code, 2);
  assert.match(second.stderr, /Thing x cannot be loaded/);

  const missing = await runCli(['sim', '--seed', join(dir, 'missing.yaml')]);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /does not exist/);
});

test.run();
