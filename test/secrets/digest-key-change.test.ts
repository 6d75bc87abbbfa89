// A change of digest key re-digests every redacted value at once: that commit is labelled, in snapshot and in
// watch, including the first commit on a repository written before digests were keyed (plain sha256:).
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DIGEST_KEY_CHANGED_SUBJECT, labelDigestKeyChange, repositoryReadme } from '../../lib/history/index.ts';
import type { KubeClient } from '../../lib/kube/index.ts';
import { parseObject } from '../../lib/layout/index.ts';
import { planRestore } from '../../lib/restore/index.ts';
import type { NormalizeOptions } from '../../lib/normalize/index.ts';
import type { Simulator } from '../../lib/sim/index.ts';
import { takeSnapshot } from '../../lib/snapshot/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { ClusterSync } from '../../lib/sync/index.ts';
import { clientFor, eventually, startSeededSimulator, testAuthor, testCluster } from '../helpers/cluster.ts';
import { temporaryDirectory } from '../helpers/processes.ts';

const SECRET_PATH = 'shop/secrets/web-credentials.yaml';
const readme = (normalize: NormalizeOptions) => repositoryReadme({ cluster: testCluster, folders: [], normalize });
const keyA = randomBytes(32);
const keyB = randomBytes(32);

let sim: Simulator;
let client: KubeClient;
let tmp: ReturnType<typeof temporaryDirectory>;

test.before(async () => {
  sim = await startSeededSimulator();
  client = await clientFor(sim);
  tmp = temporaryDirectory('kubesnap-key-change-');
});

test.after(async () => {
  client.close();
  await sim.stop();
  tmp.remove();
});

test("the label: only when the README's key changed, the old subject kept in the body", () => {
  const message = 'snapshot: 0 created, 2 updated, 0 deleted\n\nshop:\n  updated  shop/secrets/a.yaml\n';
  assert.is(labelDigestKeyChange(message, readme({ digestKey: keyA }), readme({ digestKey: keyA })), message);
  assert.is(labelDigestKeyChange(message, undefined, readme({ digestKey: keyA })), message);
  assert.is(labelDigestKeyChange(message, readme({ secrets: 'plain' }), readme({ digestKey: keyA })), message);
  assert.is(labelDigestKeyChange(message, readme({ digestKey: keyA }), readme({ secrets: 'skip' })), message);
  assert.is(
    labelDigestKeyChange(message, readme({ digestKey: keyA }), readme({ digestKey: keyB })),
    `${DIGEST_KEY_CHANGED_SUBJECT}\n\n${message}`,
  );
});

async function secretValue(repository: SnapshotRepository): Promise<string> {
  const secret = parseObject(
    (await repository.readFile((await repository.head())!, SECRET_PATH))!.toString('utf8'),
  ) as { data: { password: string } };
  return secret.data.password;
}

test('a repository of plain sha256 digests: its next snapshot re-digests every value in one labelled commit', async () => {
  const repository = await SnapshotRepository.open(join(tmp.path, 'legacy'), { create: true });
  await takeSnapshot({ client, repository, author: testAuthor, cluster: testCluster });
  // What kubesnap wrote before its digests were keyed: the README's sentence and sha256 of the value.
  const head = (await repository.head())!;
  const oldReadme = (await repository.readFile(head, 'README.md'))!
    .toString('utf8')
    .replace(
      /\| Secrets \| .*$/m,
      '| Secrets | values replaced by sha256 digests (drift is visible, nothing readable is stored) |',
    );
  const oldSecret = (await repository.readFile(head, SECRET_PATH))!
    .toString('utf8')
    .replace(/password: \S+/, `password: sha256:${createHash('sha256').update('s3cr3t-do-not-commit').digest('hex')}`);
  await repository.commitChanges(
    [
      { path: 'README.md', content: oldReadme },
      { path: SECRET_PATH, content: oldSecret },
    ],
    { message: 'as an older kubesnap wrote it', author: { ...testAuthor, timestamp: 1 } },
  );
  // Restore reads such a digest as redacted: the Secret is not restorable, and the reason says why.
  const legacy = (await repository.head())!;
  const plan = await planRestore({
    client,
    repository,
    revision: legacy,
    selection: { namespaces: ['shop'] },
    paths: [SECRET_PATH],
  });
  const planned = plan.objects.find((object) => object.ref.includes('web-credentials'));
  assert.is(planned?.action, 'blocked');
  assert.match(planned!.reason!, /cannot restore redacted values/);

  const result = await takeSnapshot({ client, repository, author: testAuthor, cluster: testCluster });
  assert.ok(result.commit);
  const [latest] = await repository.log({ limit: 1 });
  assert.is(latest.message.split('\n')[0], DIGEST_KEY_CHANGED_SUBJECT);
  assert.match(await secretValue(repository), /^hmac-sha256:[0-9a-f]{64}$/);
  assert.is((await takeSnapshot({ client, repository, author: testAuthor, cluster: testCluster })).commit, undefined);
});

test('watch started with a new key commits the re-digested Secrets as one labelled commit, then nothing more', async () => {
  const repository = await SnapshotRepository.open(join(tmp.path, 'watched'), { create: true });
  await takeSnapshot({ client, repository, author: testAuthor, cluster: testCluster, normalize: { digestKey: keyA } });
  const before = await secretValue(repository);
  const commitsBefore = (await repository.log()).length;
  const watch = async () => {
    const sync = new ClusterSync({
      client,
      repository,
      author: testAuthor,
      cluster: testCluster,
      normalize: { digestKey: keyB },
      batchMs: 100,
      discoveryIntervalMs: 60_000,
    });
    await sync.start();
    await sync.ready;
    await sync.stop();
  };
  await watch();
  await eventually(async () => (await repository.log()).length > commitsBefore, 10_000, 'the re-digesting commit');
  const log = await repository.log();
  assert.is(log.length, commitsBefore + 1);
  assert.is(log[0].message.split('\n')[0], DIGEST_KEY_CHANGED_SUBJECT);
  assert.is.not(await secretValue(repository), before);
  await watch();
  assert.is((await repository.log()).length, commitsBefore + 1, 'a restart under the same key commits nothing');
});

test.run();
