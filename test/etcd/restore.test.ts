// The restore plan's own restore command, run with the real etcdctl on a snapshot kubesnap took from a
// real etcd, and a second etcd started on the result.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Etcd3 } from 'etcd3';
import {
  checkSnapshotFile,
  inspectBoltDatabase,
  readSnapshotRevision,
  takeEtcdSnapshot,
  type TakenSnapshot,
} from '../../lib/etcd/index.ts';
import { runCli } from '../helpers/cli.ts';
import { etcdctl, freePort, startEtcd, type EtcdServer } from './etcd-server.ts';

const run = promisify(execFile);
let root = '';
let etcd: EtcdServer | undefined;
let restored: EtcdServer | undefined;
let snapshot: TakenSnapshot;

test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubesnap-etcd-restore-'));
  etcd = await startEtcd(join(root, 'data'));
  for (let index = 0; index < 5; index++)
    await etcdctl(etcd.clientUrl, ['put', `/registry/configmaps/shop/cm-${index}`, `value-${index}`]);
  await etcdctl(etcd.clientUrl, ['put', 'greeting', 'hello from before the snapshot']);
  // Enough keys that the key bucket spans many pages under branch pages.
  const client = new Etcd3({ hosts: etcd.clientUrl });
  try {
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 300 }, (_unused, index) => client.put(`/bulk/${batch}/${index}`).value('x'.repeat(100))),
      );
    }
  } finally {
    client.close();
  }
  snapshot = await takeEtcdSnapshot({ endpoints: [etcd.clientUrl], dir: join(root, 'snapshots') });
  await etcdctl(etcd.clientUrl, ['put', 'greeting', 'written after the snapshot']);
  await etcdctl(etcd.clientUrl, ['put', 'later', 'x']);
});

test.after(async () => {
  await restored?.stop();
  await etcd?.stop();
  await rm(root, { recursive: true, force: true });
});

test('the revision and key count read from the bolt pages match etcdctl snapshot status', async () => {
  const status = JSON.parse(await etcdctl(etcd!.clientUrl, ['snapshot', 'status', snapshot.file, '-w', 'json']));
  const check = await checkSnapshotFile(snapshot.file);
  assert.equal(check.problems, []);
  assert.ok(status.totalSize > 100 * 4096, 'the database spans many pages');
  assert.is(check.revision, status.revision);
  assert.is(check.revision, 3007);
  assert.is(check.totalKeys, status.totalKey);
  assert.is(await readSnapshotRevision(snapshot.file), status.revision);
  assert.is(snapshot.revision, status.revision);
});

test('a page that does not carry its own id, or is no branch or leaf, is found by the page walk', async () => {
  const file = await readFile(snapshot.file);
  const database = file.subarray(0, file.length - 32);
  const sourceOf = (data: Buffer) => ({
    size: data.length,
    read: (offset: number, length: number) => data.subarray(offset, offset + length),
  });
  const report = inspectBoltDatabase(sourceOf(database));
  assert.equal(report.problems, []);
  const { root, pageSize, pageCount } = report.meta!;

  const wrongId = Buffer.from(database);
  wrongId.writeBigUInt64LE(pageCount + 5n, Number(root) * pageSize);
  assert.equal(inspectBoltDatabase(sourceOf(wrongId)).problems, [
    `page ${root} carries the id ${pageCount + 5n} in its header`,
  ]);

  // Every page's type zeroed but the root bucket's: whichever the buckets reach is reported.
  const wrongType = Buffer.from(database);
  for (let page = 2; page < Number(pageCount); page++)
    if (BigInt(page) !== root) wrongType.writeUInt16LE(0, page * pageSize + 8);
  assert.ok(
    inspectBoltDatabase(sourceOf(wrongType)).problems.some((problem) =>
      /is neither a branch nor a leaf page/.test(problem),
    ),
  );
});

test("the restore plan's own restore command, run with the real etcdctl, gives an etcd holding the keys", async () => {
  const dataDir = join(root, 'restored');
  const peerPort = await freePort();
  const result = await runCli([
    'etcd',
    'restore-plan',
    snapshot.file,
    '--tool',
    'etcdctl',
    '--name',
    'restored',
    '--peer-url',
    `http://127.0.0.1:${peerPort}`,
    '--data-dir',
    dataDir,
    '--snapshot-path',
    snapshot.file,
    '-o',
    'json',
  ]);
  assert.is(result.code, 0, result.stderr);
  const plan = JSON.parse(result.stdout);
  assert.equal(plan.restore.env, { ETCDCTL_API: '3' });
  assert.is(plan.restore.argv[0], 'etcdctl');
  assert.ok(
    plan.steps.some((step: { commands: string[] }) =>
      step.commands.some((command) => command.includes('kube-apiserver.yaml')),
    ),
  );
  assert.ok(plan.notes[0].includes(`revision ${snapshot.revision}`));
  const [tool, ...args] = plan.restore.argv;
  await run(tool, args, { env: { ...process.env, ...plan.restore.env } });

  restored = await startEtcd(dataDir, { name: 'restored', peerPort });
  assert.is(
    await etcdctl(restored.clientUrl, ['get', 'greeting', '--print-value-only']),
    'hello from before the snapshot\n',
  );
  assert.is(
    await etcdctl(restored.clientUrl, ['get', '/registry/configmaps/shop/cm-3', '--print-value-only']),
    'value-3\n',
  );
  assert.is(
    await etcdctl(restored.clientUrl, ['get', 'later', '--print-value-only']),
    '',
    'a key written after the snapshot is not there',
  );
  const keys = await etcdctl(restored.clientUrl, ['get', '/bulk/', '--prefix', '--keys-only']);
  assert.is(keys.split('\n').filter((line) => line.startsWith('/bulk/')).length, 3000);
});

test('the printed plan stops the control plane, restores with etcdutl by default, and starts it again in order', async () => {
  const result = await runCli(['etcd', 'restore-plan', snapshot.file]);
  assert.is(result.code, 0, result.stderr);
  const text = result.stdout;
  assert.match(
    text,
    /etcdutl snapshot restore \/root\/etcd-\S+\.db --data-dir \/var\/lib\/etcd --name "\$NODE_NAME" --initial-cluster "\$NODE_NAME=https:\/\/\$NODE_IP:2380"/,
  );
  assert.match(text, new RegExp(`echo '${snapshot.sha256}  /root/etcd-\\S+\\.db' \\| sha256sum -c -`));
  const order = [
    'mv /etc/kubernetes/manifests/kube-apiserver.yaml',
    'mv /var/lib/etcd /var/lib/etcd.before-restore',
    'etcdutl snapshot restore',
    'manifests.stopped-for-restore/etcd.yaml',
    'endpoint health',
    'manifests.stopped-for-restore/kube-apiserver.yaml',
    '/readyz',
  ];
  const positions = order.map((fragment) => text.indexOf(fragment));
  assert.ok(
    positions.every((position, index) => position > (positions[index - 1] ?? -1)),
    JSON.stringify(positions),
  );
});

test.run();
