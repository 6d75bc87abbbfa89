// The etcd drill through the real CLI with Debian's etcd-server and etcd-client (etcd 3.4: no etcdutl, so
// `etcdctl snapshot restore`): the newest snapshot of a folder restored, served by a throwaway etcd, checked.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { takeEtcdSnapshot, type TakenSnapshot } from '../../lib/etcd/index.ts';
import { systemClock } from '../../lib/health/index.ts';
import { runCli } from '../helpers/cli.ts';
import { etcdctl, startEtcd, type EtcdServer } from '../etcd/etcd-server.ts';
import { drillNote, namespace, writeRepository } from './drill-setup.ts';

let root = '';
let etcd: EtcdServer | undefined;
let newest: TakenSnapshot;
let repo: Awaited<ReturnType<typeof writeRepository>>;

test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubesnap-drill-etcd-'));
  etcd = await startEtcd(join(root, 'data'));
  for (let index = 0; index < 20; index++)
    await etcdctl(etcd.clientUrl, ['put', `/registry/configmaps/shop/cm-${index}`, `value-${index}`]);
  await takeEtcdSnapshot({
    endpoints: [etcd.clientUrl],
    dir: join(root, 'snapshots'),
    clock: { ...systemClock, now: () => Date.parse('2026-12-01T00:00:00Z') },
  });
  await etcdctl(etcd.clientUrl, ['put', '/registry/configmaps/shop/later', 'x']);
  newest = await takeEtcdSnapshot({
    endpoints: [etcd.clientUrl],
    dir: join(root, 'snapshots'),
    clock: { ...systemClock, now: () => Date.parse('2026-12-02T00:00:00Z') },
  });
  repo = await writeRepository([namespace('shop')]);
});

test.after(async () => {
  await etcd?.stop();
  repo?.remove();
  await rm(root, { recursive: true, force: true });
});

test('the newest snapshot of --etcd-dir is restored with etcdctl and served at its revision', async () => {
  const result = await runCli(['drill', '--repo', repo.repo, '--etcd-dir', join(root, 'snapshots')]);
  assert.is(result.code, 0, result.stdout + result.stderr);
  assert.match(
    result.stdout,
    new RegExp(
      `✓ etcd: ${newest.file} restored into a throwaway etcd, which serves revision ${newest.revision} and 21 keys, as the snapshot recorded`,
    ),
  );
  assert.match(await drillNote(repo.repo), /passed config=passed etcd=passed\n$/);
});

test('a damaged snapshot fails the etcd part and says why', async () => {
  const damaged = join(root, 'damaged.db');
  await writeFile(damaged, Buffer.alloc(8192, 1));
  const result = await runCli(['drill', '--repo', repo.repo, '--etcd-snapshot', damaged, '--no-record']);
  assert.is(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /✗ etcd: .*damaged\.db is not a whole snapshot, so it cannot be restored/);
});

test('without the etcd tools on PATH the drill says so and fails the part', async () => {
  const result = await runCli(['drill', '--repo', repo.repo, '--etcd-snapshot', newest.file, '--no-record'], {
    env: { PATH: '/nonexistent' },
  });
  assert.is(result.code, 1, result.stdout + result.stderr);
  assert.match(
    result.stdout,
    /✗ etcd: the etcd tools are missing \(etcdutl \(or etcdctl\) and etcd not found on PATH\)/,
  );
});

test.run();
