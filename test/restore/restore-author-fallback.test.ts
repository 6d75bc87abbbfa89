// Naming who runs a restore (SelfSubjectReview, as `kubectl auth whoami`) is a courtesy the restore never fails for:
// whatever goes wrong with it (a 500, an answer that is not JSON, no answer, an unreachable server) names the
// kubeconfig's user instead, with one warning line saying the server could not say who you are. A 403 (RBAC does
// not let the client ask) names the kubeconfig's user without a warning, as before.
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { KubeClient, loadClusterConnection } from '../../lib/kube/index.ts';
import { restorerName } from '../../lib/restore/index.ts';
import type { BrokenAnswer } from '../../lib/sim/faults.ts';
import type { Simulator } from '../../lib/sim/index.ts';
import { clientFor } from '../helpers/cluster.ts';
import { kubectlOk } from '../helpers/kubectl.ts';
import { git } from '../helpers/processes.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';
import { kubesnapOn } from './restore-setup.ts';

const SELF_SUBJECT_REVIEWS = 'selfsubjectreviews.authentication.k8s.io';
/** The user of the simulator's kubeconfig. */
const KUBECONFIG_USER = 'kubesnap-sim';
const WARNING =
  /^warning: the API server could not say who you are \((.+)\); the restore is named after the kubeconfig's user "kubesnap-sim"\.$/;

const fallback = simulatorSuite<{ repo: string }>('restore names the kubeconfig user when SelfSubjectReview fails', {
  prefix: 'kubesnap-restore-author-fallback-',
});

fallback.before(async (context) => {
  context.repo = join(context.tmp.path, 'repo');
  const snapshot = await kubesnapOn(context.sim.kubeconfigPath, context.repo, ['snapshot']);
  assert.is(snapshot.code, 0, snapshot.stderr);
});

fallback.after.each(({ sim }) => sim.faults.clear());

function webReplicas(sim: Simulator): number {
  return (sim.get('apps', 'deployments', 'shop', 'web')?.spec as { replicas: number }).replicas;
}

for (const answer of ['internal-error', 'not-json'] satisfies BrokenAnswer[]) {
  fallback(`SelfSubjectReview answers ${answer}: the restore goes on as the kubeconfig user`, async ({ sim, repo }) => {
    const snapshotted = webReplicas(sim);
    await kubectlOk(sim.kubeconfigPath, ['-n', 'shop', 'scale', 'deployment/web', `--replicas=${snapshotted + 3}`]);
    sim.faults.breakResource(SELF_SUBJECT_REVIEWS, answer);

    const restore = await kubesnapOn(sim.kubeconfigPath, repo, [
      'restore',
      'HEAD',
      'deploy/web',
      '-n',
      'shop',
      '--yes',
    ]);
    assert.is(restore.code, 0, restore.stdout + restore.stderr);
    const warnings = restore.stderr.split('\n').filter((line) => line.startsWith('warning:'));
    assert.is(warnings.length, 1, restore.stderr);
    assert.match(warnings[0], WARNING);
    assert.is(webReplicas(sim), snapshotted);
    const managers =
      sim.get('apps', 'deployments', 'shop', 'web')?.metadata.managedFields?.map((entry) => entry.manager) ?? [];
    assert.ok(managers.includes(`kubesnap-restore (${KUBECONFIG_USER})`), managers.join(', '));
    assert.match(
      await git(repo, 'notes', '--ref', 'kubesnap-restores', 'show', 'HEAD'),
      new RegExp(` by ${KUBECONFIG_USER} to kubesnap-sim .*: created 0, updated 1, deleted 0, failed 0\\n$`),
    );
  });
}

fallback('SelfSubjectReview never answers: the kubeconfig user once the wait is over', async ({ sim }) => {
  sim.faults.breakResource(SELF_SUBJECT_REVIEWS, 'no-answer');
  const client = await clientFor(sim);
  const warnings: string[] = [];
  try {
    const name = await restorerName(client, undefined, { whoamiTimeoutMs: 100, warn: (w) => warnings.push(w) });
    assert.is(name, KUBECONFIG_USER);
  } finally {
    client.close();
  }
  assert.equal(warnings, [
    `the API server could not say who you are (no answer within 0.1 s); the restore is named after the kubeconfig's user "${KUBECONFIG_USER}".`,
  ]);
});

fallback('an unreachable server: the kubeconfig user, and the reason in the warning', async ({ sim }) => {
  const connection = await loadClusterConnection({ kubeconfig: sim.kubeconfigPath });
  // Nothing listens on port 1: the connection is refused at once.
  const client = new KubeClient({ ...connection, server: 'https://127.0.0.1:1' });
  const warnings: string[] = [];
  try {
    assert.is(await restorerName(client, undefined, { warn: (w) => warnings.push(w) }), KUBECONFIG_USER);
  } finally {
    client.close();
  }
  assert.is(warnings.length, 1);
  assert.match(`warning: ${warnings[0]}`, WARNING);
  assert.match(warnings[0], /cannot reach the API server at https:\/\/127\.0\.0\.1:1: connection refused/);
});

fallback('SelfSubjectReview forbidden: the kubeconfig user without a warning', async ({ sim }) => {
  sim.faults.forbid(SELF_SUBJECT_REVIEWS);
  const client = await clientFor(sim);
  const warnings: string[] = [];
  try {
    assert.is(await restorerName(client, undefined, { warn: (w) => warnings.push(w) }), KUBECONFIG_USER);
  } finally {
    client.close();
  }
  assert.equal(warnings, []);
});

fallback.run();
