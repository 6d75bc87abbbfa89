// The kubeconfig as kubectl reads it: credentials written in it are read by kubesnap itself, credentials a plugin
// makes (exec) go through @kubernetes/client-node; either way the simulator must accept what comes out.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dump } from 'js-yaml';
import { KubeconfigError } from '../../lib/errors/index.ts';
import { KubeClient, loadClusterConnection } from '../../lib/kube/index.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { temporaryDirectory } from '../helpers/processes.ts';

let sim: Simulator;
let tmp: ReturnType<typeof temporaryDirectory>;

test.before(async () => {
  sim = await startSimulator();
  tmp = temporaryDirectory('kubesnap-kubeconfig-');
});

test.after(async () => {
  await sim.stop();
  tmp.remove();
});

let written = 0;
/** A kubeconfig file in its own folder (relative paths in it are relative to that folder). */
function kubeconfig(
  cluster: Record<string, unknown>,
  user: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): string {
  const dir = join(tmp.path, `config-${written++}`);
  mkdirSync(dir);
  const path = join(dir, 'config');
  writeFileSync(
    path,
    dump({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'sim', cluster: { server: `${sim.url}/`, ...cluster } }],
      users: [{ name: 'me', user }],
      contexts: [
        { name: 'sim', context: { cluster: 'sim', user: 'me' } },
        { name: 'other', context: { cluster: 'elsewhere', user: 'me' } },
      ],
      'current-context': 'sim',
      ...extra,
    }),
  );
  return path;
}

async function reachable(path: string, context?: string): Promise<string> {
  const client = new KubeClient(await loadClusterConnection({ kubeconfig: path, context }));
  try {
    return (await client.json<{ items: unknown[] }>('GET', '/api/v1/namespaces')).items.length > 0 ? 'ok' : 'empty';
  } finally {
    client.close();
  }
}

test('a token and an inline CA reach the server, its URL without the trailing slash', async () => {
  const path = kubeconfig(
    { 'certificate-authority-data': Buffer.from(sim.caPem).toString('base64') },
    { token: sim.token },
  );
  const connection = await loadClusterConnection({ kubeconfig: path });
  assert.is(connection.server, sim.url);
  assert.is(connection.contextName, 'sim');
  assert.is(connection.headers.Authorization, `Bearer ${sim.token}`);
  assert.is(await reachable(path), 'ok');
});

test('files named in the kubeconfig are read relative to its folder', async () => {
  const path = kubeconfig(
    { 'certificate-authority': 'ca.pem' },
    { tokenFile: 'token', 'client-certificate': 'certs/me.crt', 'client-key': 'certs/me.key' },
  );
  const dir = join(path, '..');
  mkdirSync(join(dir, 'certs'));
  writeFileSync(join(dir, 'ca.pem'), sim.caPem);
  writeFileSync(join(dir, 'token'), `${sim.token}\n`);
  writeFileSync(join(dir, 'certs', 'me.crt'), 'CERTIFICATE BYTES');
  writeFileSync(join(dir, 'certs', 'me.key'), 'KEY BYTES');
  const connection = await loadClusterConnection({ kubeconfig: path });
  assert.is(connection.headers.Authorization, `Bearer ${sim.token}`);
  assert.is(String(connection.tls.ca), sim.caPem);
  assert.is(String(connection.tls.cert), 'CERTIFICATE BYTES');
  assert.is(String(connection.tls.key), 'KEY BYTES');
});

test('insecure-skip-tls-verify reaches a server whose CA is not given', async () => {
  const path = kubeconfig({ 'insecure-skip-tls-verify': true }, { token: sim.token });
  assert.is((await loadClusterConnection({ kubeconfig: path })).tls.rejectUnauthorized, false);
  assert.is(await reachable(path), 'ok');
});

test('a username and password become basic auth', async () => {
  const path = kubeconfig({}, { username: 'admin', password: 'hunter2' });
  assert.is(
    (await loadClusterConnection({ kubeconfig: path })).headers.Authorization,
    `Basic ${Buffer.from('admin:hunter2').toString('base64')}`,
  );
});

test('an exec credential plugin is run (through @kubernetes/client-node) and its token used', async () => {
  const plugin = join(tmp.path, 'get-token.sh');
  writeFileSync(
    plugin,
    `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${sim.token}"}}'\n`,
  );
  chmodSync(plugin, 0o755);
  const path = kubeconfig(
    { 'certificate-authority-data': Buffer.from(sim.caPem).toString('base64') },
    { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } },
  );
  assert.is((await loadClusterConnection({ kubeconfig: path })).headers.Authorization, `Bearer ${sim.token}`);
  assert.is(await reachable(path), 'ok');
});

async function failure(path: string, context?: string): Promise<KubeconfigError> {
  const error = await loadClusterConnection({ kubeconfig: path, context }).then(
    () => undefined,
    (e) => e,
  );
  assert.instance(error, KubeconfigError);
  return error;
}

test('what kubectl refuses is one sentence', async () => {
  const broken = join(tmp.path, 'broken');
  writeFileSync(broken, 'clusters: [unclosed\n');
  assert.match((await failure(broken)).message, /^kubeconfig .*broken could not be read: /);
  const notList = join(tmp.path, 'not-a-list');
  writeFileSync(notList, 'clusters: {a: b}\n');
  assert.match((await failure(notList)).message, /could not be read: "clusters" is not a list\.$/);
  const path = kubeconfig({}, { token: 'x' });
  assert.is((await failure(path, 'prod')).message, `context "prod" is not in kubeconfig ${path} (it has: sim, other).`);
  assert.is(
    (await failure(path, 'other')).message,
    `cluster "elsewhere" was not found for context "other" in kubeconfig ${path}.`,
  );
  assert.match(
    (await failure(kubeconfig({}, {}, { 'current-context': 'none' }))).message,
    /^the current context "none" is not in kubeconfig .*; pass --context\.$/,
  );
  assert.match(
    (await failure(kubeconfig({}, {}, { 'current-context': '' }))).message,
    /^kubeconfig .* has no current context; pass --context\.$/,
  );
  const strangers = kubeconfig({}, {}, { contexts: [{ name: 'sim', context: { cluster: 'sim', user: 'nobody' } }] });
  assert.is(
    (await failure(strangers)).message,
    `user "nobody" was not found for context "sim" in kubeconfig ${strangers}.`,
  );
  assert.match(
    (await failure(kubeconfig({ server: '' }, {}))).message,
    /^cluster "sim" in kubeconfig .* has no server URL\.$/,
  );
  assert.match(
    (await failure(kubeconfig({}, { tokenFile: 'missing-token' }))).message,
    /^credentials for context "sim" in kubeconfig .* could not be loaded: the token file .*missing-token cannot be read: ENOENT\.$/,
  );
});

test.run();
