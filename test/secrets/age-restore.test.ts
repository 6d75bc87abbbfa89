// diff --live and restore of a repository whose Secrets are encrypted (taken in-process with a
// SecretSealer), through the real bin; the identity comes from the real age-keygen.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KubeClient, loadClusterConnection } from '../../lib/kube/index.ts';
import { SecretSealer } from '../../lib/secrets/index.ts';
import { takeSnapshot } from '../../lib/snapshot/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { runCli } from '../helpers/cli.ts';
import { assertNoPlaintext, NEW_PASSWORD, startAgeCluster, USER, type AgeCluster } from './age-setup.ts';

const DRIFTED = 'drifted-password-value';
let cluster: AgeCluster;

const kubesnap = (...args: string[]) =>
  runCli([...args, '--repo', cluster.repo, '--kubeconfig', cluster.sim.kubeconfigPath]);

test.before(async () => {
  cluster = await startAgeCluster();
  await cluster.setPassword(NEW_PASSWORD);
  const client = new KubeClient(await loadClusterConnection({ kubeconfig: cluster.sim.kubeconfigPath }));
  try {
    const repository = await SnapshotRepository.open(cluster.repo, { create: true });
    const result = await takeSnapshot({
      client,
      repository,
      sealer: new SecretSealer([cluster.keys[1].recipient]),
      cluster: { server: cluster.sim.url, context: 'sim' },
      author: { name: 'test', email: 'test@localhost' },
    });
    assert.ok(result.commit);
  } finally {
    client.close();
  }
});

test.after(async () => {
  await cluster.stop();
});

test('diff --live: with the identity a changed value is named, never shown; without it the recipients tell which changed', async () => {
  const clean = await kubesnap('diff', '--live', '--age-identity', cluster.keys[1].file, '--exit-code');
  assert.is(clean.code, 0, 'no drift right after the snapshot: ' + clean.stdout + clean.stderr);

  await cluster.setPassword(DRIFTED);
  const withIdentity = await kubesnap('diff', '--live', '--age-identity', cluster.keys[1].file);
  assert.is(withIdentity.code, 0, withIdentity.stderr);
  assert.match(withIdentity.stdout, /\(value changed\)/);
  assert.not.match(withIdentity.stdout, /kubesnap\.io\/encrypted-values|BEGIN AGE/);
  assertNoPlaintext(withIdentity.stdout + withIdentity.stderr, [DRIFTED, NEW_PASSWORD, USER]);

  const withRecipients = await kubesnap('diff', '--live', '--age-recipient', cluster.keys[1].recipient);
  assert.is(withRecipients.code, 0, withRecipients.stderr);
  assert.match(withRecipients.stdout, /data\.password/);
  assert.not.match(withRecipients.stdout, /data\.user/);
  assertNoPlaintext(withRecipients.stdout + withRecipients.stderr, [DRIFTED, NEW_PASSWORD, USER]);

  const withNothing = await kubesnap('diff', '--live');
  assert.is(withNothing.code, 2);
  assert.match(withNothing.stderr, /age-encrypted Secret values: pass --age-identity/);
  await cluster.setPassword(NEW_PASSWORD);
});

test('restore: without the identity the Secret is not restored; with it the deleted Secret comes back with its values', async () => {
  await cluster.kube('delete', 'secret', 'db', '-n', 'shop');
  const blocked = await kubesnap('restore', '-n', 'shop', '--yes');
  assert.is(blocked.code, 1);
  assert.match(blocked.stdout, /Secret\/shop\/db.*cannot restore encrypted values without --age-identity/);
  assertNoPlaintext(blocked.stdout + blocked.stderr, [NEW_PASSWORD, USER]);

  const restored = await kubesnap('restore', '-n', 'shop', '--yes', '--age-identity', cluster.keys[1].file);
  assert.is(restored.code, 0, restored.stdout + restored.stderr);
  assertNoPlaintext(restored.stdout + restored.stderr, [NEW_PASSWORD, USER]);
  const live = JSON.parse(await cluster.kube('get', 'secret', 'db', '-n', 'shop', '-o', 'json'));
  assert.is(Buffer.from(live.data.password, 'base64').toString(), NEW_PASSWORD);
  assert.is(Buffer.from(live.data.user, 'base64').toString(), USER);
  assert.is(live.metadata.annotations?.['kubesnap.io/encrypted-values'], undefined);

  const wrongKey = await kubesnap('restore', '-n', 'shop', '--yes', '--age-identity', cluster.keys[0].file);
  assert.is(wrongKey.code, 1);
  assert.match(wrongKey.stdout, /Secret shop\/db: the value of \w+ cannot be decrypted with the given --age-identity/);
});

test.run();
