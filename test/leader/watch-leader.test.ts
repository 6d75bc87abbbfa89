// Two real `kubesnap watch --leader-elect` processes on one simulated cluster, each with its own
// repository (the repository lock refuses a second process on one): only the Lease holder commits,
// a killed leader is replaced within the lease duration, a stopped one hands over at once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { eventually } from '../helpers/cluster.ts';
import { git, temporaryDirectory } from '../helpers/processes.ts';
import { kubectl } from '../helpers/kubectl.ts';

const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));
const LEASE_MS = 3000;

interface Replica {
  repo: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

let sim: Simulator;
let tmp: { path: string; remove(): void };
const replicas: Replica[] = [];

function startReplica(name: string): Replica {
  const repo = join(tmp.path, name);
  const child = spawn(
    process.execPath,
    [
      bin,
      '--kubeconfig',
      sim.kubeconfigPath,
      '--repo',
      repo,
      'watch',
      '--leader-elect',
      '--lease-duration',
      `${LEASE_MS / 1000}s`,
      '--lease-namespace',
      'default',
      '--batch',
      '200ms',
      '-n',
      'shop',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const replica = { repo, child, output: () => output, exited };
  replicas.push(replica);
  return replica;
}

async function hasFile(repo: string, path: string): Promise<boolean> {
  return (await git(repo, 'ls-tree', '-r', '--name-only', 'refs/heads/main').catch(() => ''))
    .split('\n')
    .includes(path);
}

async function lease(): Promise<{ holderIdentity?: string; leaseTransitions?: number }> {
  const result = await kubectl(sim.kubeconfigPath, ['get', 'lease', 'kubesnap', '-n', 'default', '-o', 'json']);
  assert.is(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).spec;
}

const holderPid = (identity: string | undefined) => Number(/_(\d+)_[0-9a-f]+$/.exec(identity ?? '')?.[1]);

async function createConfigMap(name: string): Promise<void> {
  const result = await kubectl(sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', name, '--from-literal=k=v']);
  assert.is(result.code, 0, result.stderr);
}

test.before(async () => {
  sim = await startSimulator();
  tmp = temporaryDirectory('kubesnap-leader-');
  assert.is((await kubectl(sim.kubeconfigPath, ['create', 'namespace', 'shop'])).code, 0);
  await createConfigMap('before');
});

test.after(async () => {
  for (const replica of replicas) replica.child.kill('SIGKILL');
  await Promise.all(replicas.map((replica) => replica.exited));
  await sim.stop();
  tmp.remove();
});

test('only the holder commits; a killed leader is replaced within the lease duration; a stopped one hands over at once', async () => {
  const [a, b] = [startReplica('a'), startReplica('b')];
  // Progress is read from the logs: running git in a repository while kubesnap creates it is not what this tests.
  const leader = await eventually(
    () => [a, b].find((replica) => /committed/.test(replica.output())),
    30_000,
    'a leader committing',
  );
  const standby = leader === a ? b : a;
  let spec = await lease();
  assert.is(holderPid(spec.holderIdentity), leader.child.pid);
  assert.is(spec.leaseTransitions, 0);
  await createConfigMap('while-leading');
  await eventually(
    () => hasFile(leader.repo, 'shop/configmaps/while-leading.yaml'),
    10_000,
    `the leader committing a change (leader said: ${leader.output()})`,
  );
  assert.match(standby.output(), /waiting for the lease/);
  assert.not.match(standby.output(), /acquired the lease|committed/, 'the standby neither leads nor commits');

  leader.child.kill('SIGKILL');
  const killedAt = Date.now();
  await createConfigMap('after-kill');
  await eventually(
    async () => holderPid((await lease()).holderIdentity) === standby.child.pid,
    15_000,
    'the standby holding the lease',
  );
  const takeover = Date.now() - killedAt;
  // Expiry is counted from the last renewal the standby saw (up to a renew period before the kill), plus its retry period with jitter.
  assert.ok(takeover < LEASE_MS + (LEASE_MS / 3) * 1.2 + 1000, `took over after ${takeover} ms`);
  spec = await lease();
  assert.is(spec.leaseTransitions, 1);
  await eventually(() => /committed/.test(standby.output()), 20_000, 'the new leader committing');
  await eventually(
    () => hasFile(standby.repo, 'shop/configmaps/after-kill.yaml'),
    20_000,
    'the new leader committing the change made after the kill',
  );

  // A graceful stop releases the lease: a fresh standby takes it well before it would expire.
  const c = startReplica('c');
  await eventually(() => /waiting for the lease/.test(c.output()), 20_000, 'the third replica waiting');
  standby.child.kill('SIGTERM');
  const stoppedAt = Date.now();
  assert.is(await standby.exited, 0, standby.output());
  assert.match(standby.output(), /released the lease/);
  await eventually(
    async () => holderPid((await lease()).holderIdentity) === c.child.pid,
    10_000,
    'the third replica holding the lease',
  );
  assert.ok(Date.now() - stoppedAt < LEASE_MS, `handed over after ${Date.now() - stoppedAt} ms`);
  assert.is((await lease()).leaseTransitions, 2);
  await eventually(() => /committed/.test(c.output()), 20_000, 'the third replica committing');
  c.child.kill('SIGTERM');
  assert.is(await c.exited, 0, c.output());
  assert.not.ok((await lease()).holderIdentity, 'the last holder released the lease');
});

test.run();
