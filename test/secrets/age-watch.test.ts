// ClusterSync (what `kubesnap watch` runs) with a SecretSealer: Secrets committed encrypted, events
// that leave the values alone keep their ciphertext, a changed value is re-encrypted alone, and a
// restart (or a snapshot with the same recipients) finds nothing to commit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KubeClient, loadClusterConnection } from '../../lib/kube/index.ts';
import { parseObject } from '../../lib/layout/index.ts';
import { SecretSealer } from '../../lib/secrets/index.ts';
import { takeSnapshot } from '../../lib/snapshot/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { ClusterSync } from '../../lib/sync/index.ts';
import { eventually, testAuthor, testCluster } from '../helpers/cluster.ts';
import { git } from '../helpers/processes.ts';
import {
  ageDecrypt,
  assertNoPlaintext,
  NEW_PASSWORD,
  PASSWORD,
  SECRET_PATH,
  startAgeCluster,
  USER,
  type AgeCluster,
} from './age-setup.ts';

let cluster: AgeCluster;
let client: KubeClient;

test.before(async () => {
  cluster = await startAgeCluster();
  client = new KubeClient(await loadClusterConnection({ kubeconfig: cluster.sim.kubeconfigPath }));
});

test.after(async () => {
  client.close();
  await cluster.stop();
});

async function committedSecret(
  repository: SnapshotRepository,
): Promise<{ data: Record<string, string>; metadata: { labels?: Record<string, string> } }> {
  return parseObject((await repository.readFile((await repository.head())!, SECRET_PATH))!.toString('utf8')) as any;
}

test('watch commits Secrets encrypted and re-encrypts only what changed', async () => {
  const sealer = new SecretSealer([cluster.keys[0].recipient]);
  const repository = await SnapshotRepository.open(cluster.repo, { create: true });
  const options = {
    client,
    repository,
    sealer,
    author: testAuthor,
    cluster: testCluster,
    batchMs: 100,
    discoveryIntervalMs: 60_000,
    selection: { namespaces: ['shop'] },
  };
  const sync = new ClusterSync(options);
  try {
    await sync.start();
    await sync.ready;
    await eventually(() => repository.head(), 10_000, 'the first commit');
    const first = await committedSecret(repository);
    assert.is(await ageDecrypt(first.data.password, cluster.keys[0].file), PASSWORD);

    // A label: the Secret changes, its values do not, so their ciphertext stays.
    await cluster.kube('label', 'secret', 'db', '-n', 'shop', 'team=payments');
    await eventually(
      async () => (await committedSecret(repository)).metadata.labels?.team === 'payments',
      10_000,
      'the label committed',
    );
    const labelled = await committedSecret(repository);
    assert.equal(labelled.data, first.data);

    await cluster.setPassword(NEW_PASSWORD);
    await eventually(
      async () => (await committedSecret(repository)).data.password !== first.data.password,
      10_000,
      'the new value committed',
    );
    const changed = await committedSecret(repository);
    assert.is(changed.data.user, first.data.user);
    assert.is(await ageDecrypt(changed.data.password, cluster.keys[0].file), NEW_PASSWORD);
  } finally {
    await sync.stop();
  }
  assertNoPlaintext(await git(cluster.repo, 'log', '-p', '--all'), [PASSWORD, NEW_PASSWORD, USER]);

  const head = await repository.head();
  const restarted = new ClusterSync(options);
  await restarted.start();
  await restarted.ready;
  await restarted.flush();
  await restarted.stop();
  assert.is(await repository.head(), head, 'a restart reconciles to the same bytes');
  const snapshot = await takeSnapshot({
    client,
    repository,
    sealer,
    author: testAuthor,
    cluster: testCluster,
    selection: { namespaces: ['shop'] },
  });
  assert.is(snapshot.commit, undefined, 'a snapshot with the same recipients agrees with watch');
});

test.run();
