import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Simulator } from '../../lib/sim/index.ts';
import { eventually, startSeededSimulator } from '../helpers/cluster.ts';
import { runCli } from '../helpers/cli.ts';
import { git, kubectl, run, temporaryDirectory } from '../helpers/processes.ts';
import { createBareRemote, startGitHttpServer, type GitHttpServer } from './git-servers.ts';

const TOKEN = 'cli-tok-8c2e51f0a9';
const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));
const remoteTest = suite<{ sim: Simulator; server: GitHttpServer; tmp: { path: string; remove(): void } }>('kubesnap snapshot/watch --remote');

remoteTest.before(async (context) => {
  context.tmp = temporaryDirectory('kubesnap-cli-remote-');
  context.sim = await startSeededSimulator({ bookmarkIntervalMs: 500 });
  context.server = await startGitHttpServer(join(context.tmp.path, 'served'), TOKEN);
});

remoteTest.after(async (context) => {
  await context.server?.stop();
  await context.sim?.stop();
  context.tmp?.remove();
});

function snapshot(context: { sim: Simulator; tmp: { path: string } }, repo: string, args: string[], token = TOKEN) {
  return runCli(['--kubeconfig', context.sim.kubeconfigPath, '--repo', join(context.tmp.path, repo), 'snapshot', ...args], { env: { KUBESNAP_GIT_TOKEN: token } });
}

remoteTest('snapshot: wrong token is one sentence and exit 1, the commit is kept, the token is never printed or stored', async (context) => {
  await createBareRemote(join(context.tmp.path, 'served'), 'wrong.git');
  const wrong = 'wrong-tok-77aa1';
  const result = await snapshot(context, 'wrong', ['--remote', context.server.url('wrong.git')], wrong);
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stderr, /refused the credentials.*the commit is kept in the local repository/);
  assert.is(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.not.match(result.stdout + result.stderr, wrong);
  assert.ok((await git(join(context.tmp.path, 'wrong'), 'rev-parse', 'main')).trim());
  assert.is((await run('grep', ['-r', '-l', wrong, join(context.tmp.path, 'wrong')])).stdout, '');
});

remoteTest('snapshot: pushed; a remote that is down keeps the commit, exit 1; the next run pushes it; no token on disk', async (context) => {
  const remote = await createBareRemote(join(context.tmp.path, 'served'), 'snap.git');
  const url = context.server.url('snap.git');
  const first = await snapshot(context, 'snap', ['--remote', url]);
  assert.is(first.code, 0, first.stderr);
  const repo = join(context.tmp.path, 'snap');
  assert.is((await git(remote, 'rev-parse', 'main')).trim(), (await git(repo, 'rev-parse', 'main')).trim());

  await context.server.stop();
  assert.is((await kubectl(context.sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', 'offline', '--from-literal=k=v'])).code, 0);
  const down = await snapshot(context, 'snap', ['--remote', url]);
  assert.is(down.code, 1, down.stderr);
  assert.match(down.stderr, /cannot be reached.*the commit is kept/);
  assert.match(await git(repo, 'show', '--stat', 'main'), /offline\.yaml/);
  await context.server.restart();
  const again = await snapshot(context, 'snap', ['--remote', url]);
  assert.is(again.code, 0, again.stderr);
  assert.match(await git(remote, 'show', '--stat', 'main'), /offline\.yaml/);
  assert.is((await run('grep', ['-r', '-l', TOKEN, repo])).stdout, '');
});

remoteTest('snapshot: two clusters under two prefixes push to one branch at the same time; both land, nothing forced', async (context) => {
  const remote = await createBareRemote(join(context.tmp.path, 'served'), 'shared.git');
  const url = context.server.url('shared.git');
  const [a, b] = await Promise.all([
    snapshot(context, 'prod', ['--remote', url, '--prefix', 'clusters/prod']),
    snapshot(context, 'stage', ['--remote', url, '--prefix', 'clusters/stage', '--git', 'native']),
  ]);
  assert.is(a.code, 0, a.stderr);
  assert.is(b.code, 0, b.stderr);
  const files = await git(remote, 'ls-tree', '-r', '--name-only', 'main');
  assert.match(files, /^clusters\/prod\/shop\//m);
  assert.match(files, /^clusters\/stage\/shop\//m);
  // The one that pushed second merged the other's commit: both histories are in the remote's.
  const log = await git(remote, 'log', '--format=%s', 'main');
  assert.ok(log.split('\n').filter((line) => line.startsWith('snapshot') || line.length > 0).length >= 2, log);
});

remoteTest('watch: the remote goes away and comes back; commits continue locally and are pushed; metrics say how far behind', async (context) => {
  const remote = await createBareRemote(join(context.tmp.path, 'served'), 'watch.git');
  const repo = join(context.tmp.path, 'watch');
  const child = spawn(process.execPath, [
    bin, '--kubeconfig', context.sim.kubeconfigPath, '--repo', repo, 'watch', '--batch', '100ms', '--listen', '127.0.0.1:0',
    '--remote', context.server.url('watch.git'), '--push-interval', '200ms',
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBESNAP_GIT_TOKEN: TOKEN } });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const remoteHead = async () => (await run('git', ['-C', remote, 'rev-parse', '--verify', '-q', 'main'])).stdout.trim();
  const localHead = async () => (await run('git', ['-C', repo, 'rev-parse', '--verify', '-q', 'main'])).stdout.trim();
  try {
    const address = await eventually(() => /address=(127\.0\.0\.1:\d+)/.exec(output)?.[1], 20_000, 'the status server');
    const metrics = async () => (await fetch(`http://${address}/metrics`)).text();
    await eventually(async () => (await remoteHead()) !== '' && (await remoteHead()) === (await localHead()), 20_000, 'the first sync pushed');

    await context.server.stop();
    assert.is((await kubectl(context.sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', 'while-down', '--from-literal=k=v'])).code, 0);
    await eventually(async () => /kubesnap_remote_unpushed_commits [1-9]/.test(await metrics()), 15_000, 'an unpushed commit');
    await eventually(async () => /kubesnap_push_failures_total [1-9]/.test(await metrics()), 15_000, 'a failed push');
    const readyz = await (await fetch(`http://${address}/readyz`)).text();
    assert.match(readyz, /remote: 1 commit not pushed since \d{4}-/);
    assert.match(await metrics(), /kubesnap_remote_behind_seconds (0\.\d+|[1-9])/);

    await context.server.restart();
    await eventually(async () => (await remoteHead()) === (await localHead()), 20_000, 'the commit pushed after the remote came back');
    assert.match(await git(remote, 'show', '--stat', 'main'), /while-down\.yaml/);
    await eventually(async () => /kubesnap_remote_unpushed_commits 0/.test(await metrics()), 5_000, 'in sync');
    assert.match(await metrics(), /kubesnap_remote_behind_seconds 0\b/);
    assert.match(await metrics(), /kubesnap_last_push_timestamp_seconds [1-9]/);
    child.kill('SIGTERM');
    assert.is(await exited, 0, output);
    assert.not.match(output, TOKEN);
    assert.is((await run('grep', ['-r', '-l', TOKEN, repo])).stdout, '');
  } finally {
    child.kill('SIGKILL');
  }
});

remoteTest.run();
