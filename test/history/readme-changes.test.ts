// The repository's README.md says what changes seldom (kinds, namespaces, how to restore): a commit touches it
// only when one of those changed, never for a time or an object count.
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { eventually } from '../helpers/cluster.ts';
import { runCli } from '../helpers/cli.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { git } from '../helpers/processes.ts';
import { headOf, startWatch } from '../sync/running-watch.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const readme = simulatorSuite('repository README');

/** The files each commit touched, oldest first, as `git log --stat` shows them. */
async function filesPerCommit(repo: string): Promise<string[][]> {
  const log = await git(repo, 'log', '--reverse', '--format=%x00', '--name-only');
  return log
    .split('\0')
    .slice(1)
    .map((entry) => entry.split('\n').filter(Boolean));
}

readme('a watch rewrites README.md only when a kind or a namespace comes or goes', async ({ sim, tmp }) => {
  const repo = join(tmp.path, 'watched');
  const running = startWatch(sim, repo, '--batch', '100ms');
  const kube = (...args: string[]) => kubectl(sim.kubeconfigPath, args);
  // The first start may build the CLI's bundle first.
  const nextCommit = async (after: string | undefined, what: string) =>
    eventually(
      async () => {
        const head = await headOf(repo);
        return head !== after ? head : undefined;
      },
      after ? 20_000 : 60_000,
      what,
    );
  try {
    let head = await nextCommit(undefined, 'the first sync');
    assert.is((await kube('-n', 'shop', 'create', 'configmap', 'one', '--from-literal=k=v')).code, 0);
    head = await nextCommit(head, 'a configmap created');
    assert.is((await kube('-n', 'shop', 'patch', 'configmap', 'one', '-p', '{"data":{"k":"w"}}')).code, 0);
    head = await nextCommit(head, 'a configmap changed');
    assert.is((await kube('create', 'namespace', 'fresh')).code, 0);
    assert.is((await kube('-n', 'fresh', 'create', 'configmap', 'two', '--from-literal=k=v')).code, 0);
    head = await nextCommit(head, 'a new namespace');
    assert.is((await kube('-n', 'shop', 'delete', 'configmap', 'one')).code, 0);
    head = await nextCommit(head, 'a configmap deleted');
  } finally {
    running.child.kill('SIGTERM');
    await running.exited;
  }
  const commits = await filesPerCommit(repo);
  const touchedReadme = commits.map((files) => files.includes('README.md'));
  assert.is(touchedReadme[0], true, 'the first commit writes the README');
  assert.is(touchedReadme.filter(Boolean).length, 2, `README.md in: ${JSON.stringify(commits)}`);
  const namespaceCommit = commits.findIndex((files) => files.some((file) => file.startsWith('fresh/')));
  assert.ok(touchedReadme[namespaceCommit], 'the commit bringing namespace "fresh" updates the README');
  const text = await git(repo, 'show', 'HEAD:README.md');
  assert.match(text, /^- fresh$/m);
  assert.match(text, /^- configmaps$/m);
  assert.not.match(text, /last change|\(\d+\)/);
});

readme('a snapshot of a changed object leaves README.md as it was', async ({ sim, tmp }) => {
  const repo = join(tmp.path, 'snapshots');
  const snapshot = () => runCli(['--kubeconfig', sim.kubeconfigPath, '--repo', repo, 'snapshot']);
  assert.is((await snapshot()).code, 0);
  assert.is(
    (await kubectl(sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', 'three', '--from-literal=k=v'])).code,
    0,
  );
  const second = await snapshot();
  assert.is(second.code, 0, second.stderr);
  assert.match(second.stdout, /1 created/);
  assert.equal((await git(repo, 'show', '--name-only', '--format=', 'HEAD')).trim().split('\n'), [
    'shop/configmaps/three.yaml',
  ]);
});

readme.run();
