import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KubeconfigError } from '../../lib/errors/index.ts';
import { inClusterConnection, inClusterNamespace, KubeClient, loadClusterConnection } from '../../lib/kube/index.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { temporaryDirectory } from '../helpers/processes.ts';

let sim: Simulator;
let serviceAccount: ReturnType<typeof temporaryDirectory>;
let home: ReturnType<typeof temporaryDirectory>;

test.before(async () => {
  sim = await startSimulator();
  serviceAccount = temporaryDirectory('kubesnap-sa-');
  home = temporaryDirectory('kubesnap-home-');
  writeFileSync(join(serviceAccount.path, 'token'), `${sim.token}\n`);
  writeFileSync(join(serviceAccount.path, 'ca.crt'), sim.caPem);
  writeFileSync(join(serviceAccount.path, 'namespace'), 'kubesnap\n');
});

test.after(async () => {
  await sim.stop();
  serviceAccount.remove();
  home.remove();
});

/** A pod's environment: no kubeconfig anywhere, the service host and port of the API server. */
function podEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { HOME: home.path, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(sim.port), ...extra };
}

test('with no kubeconfig anywhere, a pod talks to the API server with its service account token, verifying the mounted CA', async () => {
  const connection = await loadClusterConnection({ env: podEnv(), serviceAccountDir: serviceAccount.path });
  assert.is(connection.server, `https://127.0.0.1:${sim.port}`);
  assert.is(connection.contextName, 'in-cluster');
  assert.is(connection.tls.rejectUnauthorized, undefined);
  const client = new KubeClient(connection);
  try {
    const namespace = await client.json('GET', '/api/v1/namespaces/default');
    assert.is(namespace.metadata.name, 'default');
  } finally {
    client.close();
  }
});

test('the token file is what authenticates: a wrong token is refused by the server', async () => {
  const wrong = temporaryDirectory('kubesnap-sa-');
  try {
    writeFileSync(join(wrong.path, 'token'), 'not-the-token');
    writeFileSync(join(wrong.path, 'ca.crt'), sim.caPem);
    const client = new KubeClient(await loadClusterConnection({ env: podEnv(), serviceAccountDir: wrong.path }));
    try {
      await client.json('GET', '/api/v1/namespaces/default').then(
        () => assert.unreachable('a wrong token was accepted'),
        (error) => {
          assert.match(String(error.message), /401|[Uu]nauthori[sz]ed|credentials/);
        },
      );
    } finally {
      client.close();
    }
  } finally {
    wrong.remove();
  }
});

test('a kubeconfig, when there is one, wins over the service account (as kubectl)', async () => {
  const connection = await loadClusterConnection({
    env: podEnv({ KUBECONFIG: sim.kubeconfigPath }),
    serviceAccountDir: serviceAccount.path,
  });
  assert.is.not(connection.contextName, 'in-cluster');
});

test('outside a pod (no KUBERNETES_SERVICE_HOST) there is no in-cluster connection and the error names the kubeconfig', async () => {
  assert.is(inClusterConnection({ env: {}, serviceAccountDir: serviceAccount.path }), undefined);
  const env = podEnv();
  delete env.KUBERNETES_SERVICE_HOST;
  try {
    await loadClusterConnection({ env, serviceAccountDir: serviceAccount.path });
    assert.unreachable('expected an error');
  } catch (error) {
    assert.instance(error, KubeconfigError);
    assert.match((error as Error).message, /no kubeconfig found/);
  }
});

test('a token without its CA is a clear error, and --context cannot be used in-cluster', async () => {
  const noCa = temporaryDirectory('kubesnap-sa-');
  try {
    writeFileSync(join(noCa.path, 'token'), sim.token);
    assert.throws(
      () => inClusterConnection({ env: podEnv(), serviceAccountDir: noCa.path }),
      (error: Error) => error instanceof KubeconfigError && /ca\.crt/.test(error.message),
    );
  } finally {
    noCa.remove();
  }
  try {
    await loadClusterConnection({ env: podEnv(), serviceAccountDir: serviceAccount.path, context: 'prod' });
    assert.unreachable('expected an error');
  } catch (error) {
    assert.instance(error, KubeconfigError);
    assert.match((error as Error).message, /context "prod"/);
  }
});

test('an IPv6 service host is bracketed; the namespace comes from the mounted file', () => {
  const connection = inClusterConnection({
    env: podEnv({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }),
    serviceAccountDir: serviceAccount.path,
  });
  assert.is(connection?.server, 'https://[fd00::1]:443');
  assert.is(inClusterNamespace({ serviceAccountDir: serviceAccount.path }), 'kubesnap');
  assert.is(inClusterNamespace({ serviceAccountDir: home.path }), undefined);
});

test("the connection's namespace is the pod's, as client-go reads it: POD_NAMESPACE first, then the mounted file", () => {
  assert.is(inClusterConnection({ env: podEnv(), serviceAccountDir: serviceAccount.path })?.namespace, 'kubesnap');
  assert.is(
    inClusterConnection({ env: podEnv({ POD_NAMESPACE: 'from-downward-api' }), serviceAccountDir: serviceAccount.path })
      ?.namespace,
    'from-downward-api',
  );
});

test('KUBESNAP_SERVICE_ACCOUNT_DIR names a service account mounted elsewhere', () => {
  assert.is(inClusterConnection({ env: podEnv() }), undefined, 'nothing is mounted at the default path here');
  assert.is(
    inClusterConnection({ env: podEnv({ KUBESNAP_SERVICE_ACCOUNT_DIR: serviceAccount.path }) })?.contextName,
    'in-cluster',
  );
});

test.run();
