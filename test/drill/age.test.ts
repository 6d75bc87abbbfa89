// A sim drill of a repository whose Secret is age-encrypted: with --age-identity the Secret is restored and read
// back like any object (the drill passes, no value printed); without it, or with the wrong one, the drill stops and says why.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KubeClient, loadClusterConnection } from '../../lib/kube/index.ts';
import { SecretSealer } from '../../lib/secrets/index.ts';
import { takeSnapshot } from '../../lib/snapshot/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { runCli } from '../helpers/cli.ts';
import { assertNoPlaintext, PASSWORD, startAgeCluster, USER, type AgeCluster } from '../secrets/age-setup.ts';

let cluster: AgeCluster;

test.before(async () => {
  cluster = await startAgeCluster();
  const client = new KubeClient(await loadClusterConnection({ kubeconfig: cluster.sim.kubeconfigPath }));
  try {
    const repository = await SnapshotRepository.open(cluster.repo, { create: true });
    await takeSnapshot({
      client,
      repository,
      sealer: new SecretSealer([cluster.keys[0].recipient]),
      cluster: { server: cluster.sim.url, context: 'sim' },
      author: { name: 'test', email: 'test@localhost' },
    });
  } finally {
    client.close();
  }
});

test.after(async () => {
  await cluster.stop();
});

type Report = { passed: boolean; parts: Array<{ status: string; notes: string[]; problems: string[] }> };

test('--age-identity: the encrypted Secret is restored into the simulator and read back; the drill passes', async () => {
  const result = await runCli([
    'drill',
    '--repo',
    cluster.repo,
    '--target',
    'sim',
    '--age-identity',
    cluster.keys[0].file,
    '--no-record',
    '-o',
    'json',
  ]);
  assert.is(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout) as Report;
  assert.is(report.parts[0].status, 'passed');
  assert.not.match(report.parts[0].notes.join('\n'), /Secret\/shop\/db/);
  assert.equal(report.parts[0].problems, []);
  assertNoPlaintext(result.stdout + result.stderr, [PASSWORD, USER]);
});

test('without the identity the drill stops with exit 2 and says which file needs --age-identity, no value printed', async () => {
  const result = await runCli(['drill', '--repo', cluster.repo, '--target', 'sim', '--no-record', '-o', 'json']);
  assert.is(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stderr, /shop\/secrets\/db\.yaml holds age-encrypted Secret values: pass --age-identity/);
  assertNoPlaintext(result.stdout + result.stderr, [PASSWORD, USER]);
});

test('an identity the Secret is not encrypted to: the drill does not pass, no value printed', async () => {
  const result = await runCli([
    'drill',
    '--repo',
    cluster.repo,
    '--target',
    'sim',
    '--age-identity',
    cluster.keys[1].file,
    '--no-record',
    '-o',
    'json',
  ]);
  assert.is.not(result.code, 0);
  assert.match(
    result.stderr,
    /Secret shop\/db: the value of password cannot be decrypted with the given --age-identity/,
  );
  assertNoPlaintext(result.stdout + result.stderr, [PASSWORD, USER]);
});

test.run();
