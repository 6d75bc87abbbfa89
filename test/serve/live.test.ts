import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { kubectlOk } from '../helpers/kubectl.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { openBrowser, type TestBrowser } from './browser.ts';
import { startServe, type ServeProcess } from './serve-process.ts';

interface Context {
  sim: Simulator;
  tmp: { path: string; remove(): void };
  serve: ServeProcess;
  browser: TestBrowser;
}

const live = suite<Context>('serve: drift and restore preview against a live cluster');

const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
data:
  GREETING: hello
`;

live.before(async (context) => {
  context.sim = await startSimulator();
  context.tmp = temporaryDirectory('kubesnap-serve-live-');
  const kubeconfig = context.sim.kubeconfigPath;
  const repo = join(context.tmp.path, 'repo');
  await kubectlOk(kubeconfig, ['create', 'namespace', 'shop']);
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], CONFIG_MAP);
  const snapshot = await runCli(['--kubeconfig', kubeconfig, '--repo', repo, 'snapshot']);
  assert.is(snapshot.code, 0, snapshot.stderr);
  await kubectlOk(kubeconfig, [
    'patch',
    'configmap',
    'web-config',
    '-n',
    'shop',
    '--type',
    'merge',
    '-p',
    '{"data":{"GREETING":"drifted"}}',
  ]);
  context.serve = await startServe(['--kubeconfig', kubeconfig, '--repo', repo, 'serve', '--listen', '127.0.0.1:0']);
  context.browser = await openBrowser();
});

live.after(async (context) => {
  await context.browser?.close();
  await context.serve?.stop();
  await context.sim?.stop();
  context.tmp?.remove();
});

live('drift: HEAD against the cluster as diff --live computes it, refreshed on each visit', async (context) => {
  const { page, errors } = context.browser;
  await page.goto(`${context.serve.url}drift`);
  const object = page.locator('[id="file-shop/configmaps/web-config.yaml"]');
  assert.match((await object.locator('ul.fields').textContent()) ?? '', 'data.GREETING: hello → drifted');
  await kubectlOk(context.sim.kubeconfigPath, [
    'patch',
    'configmap',
    'web-config',
    '-n',
    'shop',
    '--type',
    'merge',
    '-p',
    '{"data":{"GREETING":"again"}}',
  ]);
  await page.click('text=Refresh');
  assert.match((await object.locator('ul.fields').textContent()) ?? '', 'data.GREETING: hello → again');
  assert.equal(errors, []);
});

live('restore preview: the plan restore would make and its command; nothing is applied', async (context) => {
  const { page, errors } = context.browser;
  await page.goto(`${context.serve.url}restore`);
  await page.fill('input[name=ns]', 'shop');
  await page.click('form.filters button');
  assert.match(page.url(), /[?&]ns=shop/);
  const row = page.locator('table.plan tr', { hasText: 'web-config' });
  assert.is(await row.locator('td').first().textContent(), 'update');
  assert.match((await row.textContent()) ?? '', 'data.GREETING');
  assert.match((await page.locator('pre.command').textContent()) ?? '', /^kubesnap restore [0-9a-f]{40} -n shop$/);
  const liveValue = await kubectlOk(context.sim.kubeconfigPath, [
    'get',
    'configmap',
    'web-config',
    '-n',
    'shop',
    '-o',
    'jsonpath={.data.GREETING}',
  ]);
  assert.is(liveValue, 'again');
  assert.equal(errors, []);
});

live.run();
