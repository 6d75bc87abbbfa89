// Where `watch --leader-elect` puts its Lease and how it names itself there, through the real CLI: out of a
// cluster in the kubeconfig context's namespace (kubectl's rule, `default` when the context has none), in a pod
// in the pod's (POD_NAMESPACE, else the service account's namespace file), --lease-namespace over both; the
// holder is POD_NAME plus a unique suffix, so `kubectl get lease` says which pod leads.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump, load } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaultIdentity, defaultLeaseNamespace } from '../../lib/leader/index.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { eventually } from '../helpers/cluster.ts';
import { kubectl, kubectlOk } from '../helpers/kubectl.ts';
import { podEnvironment } from '../helpers/pod.ts';
import { temporaryDirectory } from '../helpers/processes.ts';

const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));

let sim: Simulator;
let tmp: { path: string; remove(): void };
let runs = 0;
let pods = 0;

test.before(async () => {
  sim = await startSimulator();
  tmp = temporaryDirectory('kubesnap-lease-ns-');
  for (const namespace of ['team-a', 'from-file', 'from-env', 'explicit'])
    await kubectlOk(sim.kubeconfigPath, ['create', 'namespace', namespace]);
});

test.after(async () => {
  await sim.stop();
  tmp.remove();
});

/** The simulator's kubeconfig with the context's namespace set to `namespace` (or removed). */
function kubeconfigWithNamespace(namespace: string | undefined): string {
  const config = load(readFileSync(sim.kubeconfigPath, 'utf8')) as any;
  if (namespace) config.contexts[0].context.namespace = namespace;
  else delete config.contexts[0].context.namespace;
  const file = join(tmp.path, `kubeconfig-${namespace ?? 'none'}`);
  writeFileSync(file, dump(config));
  return file;
}

/** A new pod's environment, its service account's namespace file saying `namespaceFile`. */
function podEnv(namespaceFile: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const pod = join(tmp.path, `pod-${++pods}`);
  return { ...podEnvironment(sim, pod, { token: sim.token, namespace: namespaceFile }), ...extra };
}

/**
 * Runs `watch --leader-elect` until a Lease named `name` is held in `namespace`, and answers its holder.
 * The watch is stopped (and releases the Lease) before this returns.
 */
async function leaseHolder(
  globals: string[],
  env: NodeJS.ProcessEnv,
  namespace: string,
  flags: string[] = [],
): Promise<string> {
  const name = `lease-${++runs}`;
  const child = spawn(
    process.execPath,
    [
      bin,
      ...globals,
      '--repo',
      join(tmp.path, name),
      'watch',
      '--leader-elect',
      '--lease-name',
      name,
      '--lease-duration',
      '3s',
      '-n',
      'team-a',
      ...flags,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', POD_NAME: '', POD_NAMESPACE: '', ...env },
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    return await eventually(
      async () => {
        const result = await kubectl(sim.kubeconfigPath, ['get', 'lease', name, '-n', namespace, '-o', 'json']);
        return result.code === 0 && JSON.parse(result.stdout).spec?.holderIdentity;
      },
      20_000,
      `lease ${namespace}/${name} held (watch said: ${output})`,
    );
  } finally {
    child.kill('SIGTERM');
    assert.is(await exited, 0, output);
  }
}

test("out of a cluster the Lease goes to the kubeconfig context's namespace", async () => {
  const holder = await leaseHolder(['--kubeconfig', kubeconfigWithNamespace('team-a')], {}, 'team-a');
  assert.match(holder, /_\d+_[0-9a-f]{6}$/, 'hostname_pid_random without POD_NAME');
});

test('a context without a namespace means default, as for kubectl', async () => {
  await leaseHolder(['--kubeconfig', kubeconfigWithNamespace(undefined)], {}, 'default');
});

test("--lease-namespace wins over the context's namespace", async () => {
  await leaseHolder(['--kubeconfig', kubeconfigWithNamespace('team-a')], {}, 'explicit', [
    '--lease-namespace',
    'explicit',
  ]);
});

test("in a pod: POD_NAMESPACE, else the service account's namespace file; the holder is POD_NAME plus a unique suffix", async () => {
  const fromEnv = await leaseHolder(
    [],
    podEnv('from-file', { POD_NAMESPACE: 'from-env', POD_NAME: 'kubesnap-7d9f-x2' }),
    'from-env',
  );
  assert.match(fromEnv, /^kubesnap-7d9f-x2_[0-9a-f]{6}$/);
  const fromFile = await leaseHolder([], podEnv('from-file', { POD_NAME: 'kubesnap-7d9f-x2' }), 'from-file');
  assert.match(fromFile, /^kubesnap-7d9f-x2_[0-9a-f]{6}$/);
  assert.is.not(fromFile, fromEnv, 'a restarted container does not pass for its predecessor');
});

test("the rules as functions: the connection's namespace else default; POD_NAME else hostname and pid", () => {
  assert.is(defaultLeaseNamespace({ namespace: 'team-a' }), 'team-a');
  assert.is(defaultLeaseNamespace({}), 'default');
  assert.match(defaultIdentity({ POD_NAME: 'web-0' }), /^web-0_[0-9a-f]{6}$/);
  assert.match(defaultIdentity({}), new RegExp(`_${process.pid}_[0-9a-f]{6}$`));
});

test.run();
