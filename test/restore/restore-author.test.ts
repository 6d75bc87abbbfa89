// A restore names who ran it in the history a watch keeps: its field manager is `kubesnap-restore (who)`, so the
// watch's commit reads `by kubesnap-restore (who)`, is a `restore:` commit and carries `Kubesnap-Restored-By: who`.
// Who: --author, else the user the API server says the client is (SelfSubjectReview), else the kubeconfig's user.
// The restored revision gets a git note of the restore (refs/notes/kubesnap-restores).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Simulator } from '../../lib/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { eventually, startSeededSimulator } from '../helpers/cluster.ts';
import { kubectlOk } from '../helpers/kubectl.ts';
import { git, temporaryDirectory } from '../helpers/processes.ts';
import { headOf, startWatch, type RunningWatch } from '../sync/running-watch.ts';
import { kubesnapOn } from './restore-setup.ts';

const RESTORER_RBAC = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: restorer, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: restorer}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: restorer, namespace: shop}]
`;
const SERVICE_ACCOUNT = 'system:serviceaccount:shop:restorer';

let sim: Simulator;
let tmp: { path: string; remove(): void };
let repo: string;
let watch: RunningWatch;
/** The watch's first commit: deploy/web with its fixture replicas, which every test restores. */
let first: string;

async function nextCommit(after: string | undefined, what: string): Promise<string> {
  return eventually(
    async () => {
      const head = await headOf(repo);
      return head !== after ? head : undefined;
    },
    after ? 20_000 : 60_000,
    `${what} (watch output: ${watch.output()})`,
  );
}

/** Scales deploy/web away from the first commit and waits for the watch to commit that. */
async function scaleWeb(replicas: number): Promise<string> {
  const before = await headOf(repo);
  await kubectlOk(sim.kubeconfigPath, ['-n', 'shop', 'scale', 'deployment/web', `--replicas=${replicas}`]);
  return nextCommit(before, `the scale to ${replicas} committed`);
}

/** Restores deploy/web of the first commit through the CLI; returns the watch's commit message of it. */
async function restoreWeb(kubeconfig: string, ...flags: string[]): Promise<string> {
  const before = await headOf(repo);
  const restore = await kubesnapOn(kubeconfig, repo, ['restore', first, 'deploy/web', '-n', 'shop', '--yes', ...flags]);
  assert.is(restore.code, 0, restore.stdout + restore.stderr);
  const commit = await nextCommit(before, 'the restore committed');
  return git(repo, 'log', '-1', '--format=%B', commit);
}

test.before(async () => {
  sim = await startSeededSimulator();
  sim.seedYaml(RESTORER_RBAC);
  tmp = temporaryDirectory('kubesnap-restore-author-');
  repo = join(tmp.path, 'repo');
  watch = startWatch(sim, repo, '--batch', '300ms');
  first = await nextCommit(undefined, 'the first sync');
});

test.after(async () => {
  watch.child.kill('SIGTERM');
  await watch.exited;
  await sim.stop();
  tmp.remove();
});

test('restored with a ServiceAccount token: the watch commit names that ServiceAccount', async () => {
  await scaleWeb(7);
  const kubeconfig = join(tmp.path, 'restorer.kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig.replace(sim.token, sim.mintToken('shop', 'restorer')));
  assert.match(await kubectlOk(kubeconfig, ['auth', 'whoami']), new RegExp(`Username\\s+${SERVICE_ACCOUNT}\\n`));

  const message = await restoreWeb(kubeconfig);
  assert.match(message, /^restore: 0 created, 1 updated, 0 deleted\n/);
  assert.match(
    message,
    /^updated shop\/deployments\.apps\/web {2}spec\.replicas 7→\d+ {2}by kubesnap-restore \(system:serviceaccount:shop:restorer\) at \d\d:\d\d:\d\dZ$/m,
  );
  assert.match(message, /^Kubesnap-Changed-By: kubesnap-restore \(system:serviceaccount:shop:restorer\)$/m);
  assert.match(message, /^Kubesnap-Restored-By: system:serviceaccount:shop:restorer$/m);
  // git reads it as a trailer, and `kubesnap log` names the restore and its runner.
  assert.is(
    (await git(repo, 'log', '-1', '--format=%(trailers:key=Kubesnap-Restored-By,valueonly)')).trim(),
    SERVICE_ACCOUNT,
  );
  const log = await runCli(['--repo', repo, 'log', 'deploy/web', '-n', 'shop', '--limit', '1']);
  assert.match(log.stdout, /changed \(spec\.replicas\) by kubesnap-restore \(system:serviceaccount:shop:restorer\)\n$/);
  // The restored revision carries a note of the restore, as git notes show it.
  assert.match(
    await git(repo, 'notes', '--ref', 'kubesnap-restores', 'show', first),
    /^kubesnap-restore \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ by system:serviceaccount:shop:restorer to kubesnap-sim \(https:\/\/127\.0\.0\.1:\d+\): created 0, updated 1, deleted 0, failed 0\n$/,
  );
});

test('restored with --author: the watch commit names that author, as git spells it', async () => {
  await scaleWeb(5);
  const message = await restoreWeb(sim.kubeconfigPath, '--author', 'Alice Example <alice@example.com>');
  assert.match(message, /^restore: 0 created, 1 updated, 0 deleted\n/);
  assert.match(message, /by kubesnap-restore \(Alice Example <alice@example\.com>\) at /);
  assert.match(message, /^Kubesnap-Restored-By: Alice Example <alice@example\.com>$/m);
});

test('no SelfSubjectReview allowed: the kubeconfig user is named', async () => {
  await scaleWeb(4);
  sim.faults.forbid('selfsubjectreviews.authentication.k8s.io');
  try {
    const message = await restoreWeb(sim.kubeconfigPath);
    assert.match(message, /^Kubesnap-Restored-By: kubesnap-sim$/m);
  } finally {
    sim.faults.clear();
  }
});

test('a bad --author is refused before anything is written', async () => {
  const restore = await kubesnapOn(sim.kubeconfigPath, repo, [
    'restore',
    first,
    'deploy/web',
    '-n',
    'shop',
    '--yes',
    '--author',
    'alice',
  ]);
  assert.is(restore.code, 2);
  assert.is(restore.stderr.trim(), 'error: --author "alice" is not of the form "Name <email>".');
});

test.run();
