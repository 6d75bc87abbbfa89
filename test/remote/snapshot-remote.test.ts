import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { Simulator } from '../../lib/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { git, run } from '../helpers/processes.ts';
import { CLI_TOKEN as TOKEN, createConfigMap, remoteCliSuite } from './cli-suite.ts';
import { createBareRemote, installRefusingHook } from './git-servers.ts';

const remoteTest = remoteCliSuite('kubesnap snapshot --remote');

function snapshot(context: { sim: Simulator; tmp: { path: string } }, repo: string, args: string[], token = TOKEN) {
  return runCli(
    ['--kubeconfig', context.sim.kubeconfigPath, '--repo', join(context.tmp.path, repo), 'snapshot', ...args],
    { env: { KUBESNAP_GIT_TOKEN: token } },
  );
}

remoteTest(
  'snapshot: wrong token is one sentence and exit 1, the commit is kept, the token is never printed or stored',
  async (context) => {
    await createBareRemote(join(context.tmp.path, 'served'), 'wrong.git');
    const wrong = 'wrong-tok-77aa1';
    const result = await snapshot(context, 'wrong', ['--remote', context.server.url('wrong.git')], wrong);
    assert.is(result.code, 1, result.stderr);
    assert.match(result.stderr, /refused the credentials.*the commit is kept in the local repository/);
    assert.is(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.not.match(result.stdout + result.stderr, wrong);
    assert.ok((await git(join(context.tmp.path, 'wrong'), 'rev-parse', 'main')).trim());
    assert.is((await run('grep', ['-r', '-l', wrong, join(context.tmp.path, 'wrong')])).stdout, '');
  },
);

remoteTest(
  'snapshot: pushed; a remote that is down keeps the commit, exit 1; the next run pushes it; no token on disk',
  async (context) => {
    const remote = await createBareRemote(join(context.tmp.path, 'served'), 'snap.git');
    const url = context.server.url('snap.git');
    const first = await snapshot(context, 'snap', ['--remote', url]);
    assert.is(first.code, 0, first.stderr);
    const repo = join(context.tmp.path, 'snap');
    assert.is((await git(remote, 'rev-parse', 'main')).trim(), (await git(repo, 'rev-parse', 'main')).trim());

    await context.server.stop();
    await createConfigMap(context, 'offline');
    const down = await snapshot(context, 'snap', ['--remote', url]);
    assert.is(down.code, 1, down.stderr);
    assert.match(down.stderr, /cannot be reached.*the commit is kept/);
    assert.match(await git(repo, 'show', '--stat', 'main'), /offline\.yaml/);
    await context.server.restart();
    const again = await snapshot(context, 'snap', ['--remote', url]);
    assert.is(again.code, 0, again.stderr);
    assert.match(await git(remote, 'show', '--stat', 'main'), /offline\.yaml/);
    assert.is((await run('grep', ['-r', '-l', TOKEN, repo])).stdout, '');
  },
);

remoteTest(
  'snapshot: a pre-receive hook refuses the push: its message in one sentence, exit 1, one push, no merge; the next run after the hook is gone pushes',
  async (context) => {
    const remote = await createBareRemote(join(context.tmp.path, 'served'), 'policy.git');
    const hook = installRefusingHook(remote, ['policy: direct pushes to main are not allowed']);
    const refused = await snapshot(context, 'policy', ['--remote', context.server.url('policy.git')]);
    assert.is(refused.code, 1, refused.stderr);
    assert.match(
      refused.stderr,
      /the remote refused the update of main: policy: direct pushes to main are not allowed \(pre-receive hook declined\); the commit is kept/,
    );
    assert.is(refused.stderr.trim().split('\n').length, 1, refused.stderr);
    assert.is(hook.runs(), 1, 'one push, not rounds of fetch, merge and push');
    const repo = join(context.tmp.path, 'policy');
    assert.is((await git(repo, 'rev-list', '--merges', '--count', 'main')).trim(), '0');

    hook.remove();
    const again = await snapshot(context, 'policy', ['--remote', context.server.url('policy.git')]);
    assert.is(again.code, 0, again.stderr);
    assert.is((await git(remote, 'rev-parse', 'main')).trim(), (await git(repo, 'rev-parse', 'main')).trim());
  },
);

remoteTest(
  'snapshot: two clusters under two prefixes push to one branch at the same time; both land, nothing forced',
  async (context) => {
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
    // Each cluster's snapshot commit is in the remote's history: the second to push continued on top of the first.
    assert.ok(Number((await git(remote, 'rev-list', '--count', 'main')).trim()) >= 2);
  },
);

remoteTest.run();
