// `kubesnap serve` as components/serve ships it beside watch: its container's arguments and environment as rendered,
// the pod's volumes as folders, and the ServiceAccount's token under the RBAC templates/deploy ships (the simulator
// enforces it for ServiceAccount tokens). The component says drift and restore preview use the read role and never
// write, so both pages must read all they need: no 403, nothing "not readable", and only what really drifted shown
// (a Secret compares under the digest key the watch container committed it with, which the component mounts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Simulator } from '../../lib/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { startSeededSimulator } from '../helpers/cluster.ts';
import { renderDeployOverlay } from '../helpers/deploy-overlay.ts';
import { kubectlOk } from '../helpers/kubectl.ts';
import { podEnvironment } from '../helpers/pod.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { startServe, type ServeProcess } from '../serve/serve-process.ts';

interface Container {
  name: string;
  args: string[];
  env?: Array<{ name: string; value?: string }>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
}

/** What a refusal by the API server looks like on a page or in the log. */
const refused = /forbidden|\b403\b|not readable|unreadable/i;
const SHIPPED_LISTEN = '127.0.0.1:8080';

let sim: Simulator;
let tmp: { path: string; remove(): void };
let serve: ServeProcess;

/** A container of the pod as it would run here: each mounted path a folder of `volumes`, named by its volume. */
function runHere(container: Container, volumes: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const mounts = [...container.volumeMounts].sort((a, b) => b.mountPath.length - a.mountPath.length);
  const local = (value: string): string => {
    const mount = mounts.find(({ mountPath }) => value === mountPath || value.startsWith(`${mountPath}/`));
    return mount ? join(volumes, mount.name) + value.slice(mount.mountPath.length) : value;
  };
  const env = (container.env ?? []).filter((variable) => variable.value !== undefined);
  return {
    args: container.args.map(local),
    env: Object.fromEntries(env.map((variable) => [variable.name, local(variable.value!)])),
  };
}

async function page(path: string): Promise<string> {
  const response = await fetch(new URL(path, serve.url));
  const text = await response.text();
  assert.is(response.status, 200, `${path}: ${text}`);
  return text;
}

test.before(async () => {
  sim = await startSeededSimulator();
  tmp = temporaryDirectory('kubesnap-serve-rbac-');
  const rendered = await renderDeployOverlay(['serve']);
  await kubectlOk(sim.kubeconfigPath, ['apply', '-f', '-'], rendered);
  const deployment = (loadAll(rendered) as any[]).find((manifest) => manifest.kind === 'Deployment');
  const containers = deployment.spec.template.spec.containers as Container[];
  const volumes = join(tmp.path, 'volumes');
  for (const volume of deployment.spec.template.spec.volumes)
    mkdirSync(join(volumes, volume.name), { recursive: true });
  // The Secret the deploy README has the operator create once.
  writeFileSync(join(volumes, 'digest-key', 'key'), 'a3f1c2d4e5b6a7980f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778');
  const pod = {
    ...podEnvironment(sim, tmp.path, { token: sim.mintToken('kubesnap', 'kubesnap'), namespace: 'kubesnap' }),
    POD_NAME: 'kubesnap-5d8f7c9b4-q7x2m',
    POD_NAMESPACE: 'kubesnap',
  };

  // A Secret that stays as committed: no page may show it as changed.
  await kubectlOk(sim.kubeconfigPath, ['-n', 'shop', 'create', 'secret', 'generic', 'kept', '--from-literal=k=v']);
  // What the watch container commits to /data/repo: a snapshot with its environment stands in for its first sync.
  const watch = runHere(containers.find((container) => container.name === 'kubesnap')!, volumes);
  const repo = runHere(
    { name: 'repo', args: ['/data/repo'], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
    volumes,
  ).args[0];
  const snapshot = await runCli(['--repo', repo, 'snapshot'], { env: { ...pod, ...watch.env } });
  assert.is(snapshot.code, 0, snapshot.stderr);
  assert.not.match(snapshot.stderr, refused);

  // Drift: a changed ConfigMap, a new one, a changed Secret value; everything else as committed.
  await kubectlOk(sim.kubeconfigPath, [
    '-n',
    'shop',
    'patch',
    'configmap',
    'web-config',
    '-p',
    '{"data":{"GREETING":"drifted"}}',
  ]);
  await kubectlOk(sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', 'added', '--from-literal=k=v']);
  await kubectlOk(sim.kubeconfigPath, [
    '-n',
    'shop',
    'patch',
    'secret',
    'web-credentials',
    '-p',
    '{"stringData":{"password":"rotated"}}',
  ]);

  const container = containers.find((candidate) => candidate.name === 'serve')!;
  assert.ok(container.args.includes(SHIPPED_LISTEN), 'the component listens on the pod loopback');
  const shipped = runHere(container, volumes);
  // The one change: any free port instead of 8080, as tests run side by side.
  const args = shipped.args.map((arg) => (arg === SHIPPED_LISTEN ? '127.0.0.1:0' : arg));
  serve = await startServe(args, { ...pod, ...shipped.env });
});

test.after(async () => {
  await serve?.stop();
  await sim?.stop();
  tmp?.remove();
});

test('drift: read with the pod token, no 403, exactly what drifted (an unchanged Secret is not)', async () => {
  const html = await page('/drift');
  assert.not.match(html, refused);
  const files = [...html.matchAll(/id="file-([^"]+)"/g)].map((match) => match[1]).sort();
  assert.equal(files, [
    'shop/configmaps/added.yaml',
    'shop/configmaps/web-config.yaml',
    'shop/secrets/web-credentials.yaml',
  ]);
  assert.not.match(html, 'rotated', 'no Secret value on the page');
});

test('restore preview of a namespace and of the whole revision: planned with the pod token, no 403', async () => {
  const plan = (html: string) =>
    new Map(
      [...html.matchAll(/<tr class="(\w+)"><td>\w+<\/td><td><a href="\/object\/([^"]+)">/g)].map((m) => [m[2], m[1]]),
    );
  const shop = await page('/restore?ns=shop');
  assert.not.match(shop, refused);
  const actions = plan(shop);
  assert.is(actions.get('shop/configmaps/web-config.yaml'), 'update');
  assert.is(actions.get('shop/secrets/web-credentials.yaml'), 'blocked', 'a redacted value cannot be written back');
  const others = [...actions].filter(([path]) => !/web-config|web-credentials/.test(path));
  assert.ok(others.length > 0);
  assert.equal(
    others.filter(([, action]) => action !== 'unchanged'),
    [],
    'the rest is as committed',
  );
  const everything = await page('/restore');
  assert.not.match(everything, refused);
  assert.ok(plan(everything).size > actions.size, 'the whole revision plans more than one namespace');
});

test('serve logged no refusal', () => {
  assert.not.match(serve.stderr(), refused, serve.stderr());
});

test.run();
