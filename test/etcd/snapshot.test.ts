// kubesnap etcd against a real etcd: snapshot, list, verify (and damaged copies rejected), --keep.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkSnapshotFile, EtcdError, takeEtcdSnapshot } from '../../lib/etcd/index.ts';
import { runCli } from '../helpers/cli.ts';
import { etcdctl, freePort, startEtcd, type EtcdServer } from './etcd-server.ts';

const run = promisify(execFile);
let root = '';
let etcd: EtcdServer | undefined;

test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubesnap-etcd-'));
  etcd = await startEtcd(join(root, 'data'));
  for (let index = 0; index < 5; index++)
    await etcdctl(etcd.clientUrl, ['put', `/registry/configmaps/shop/cm-${index}`, `value-${index}`]);
  await etcdctl(etcd.clientUrl, ['put', 'greeting', 'hello from before the snapshot']);
});

test.after(async () => {
  await etcd?.stop();
  await rm(root, { recursive: true, force: true });
});

async function snapshotFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.db')).sort();
}

test('snapshot writes etcd-<time>.db and its .sha256, matching what etcdctl reads in it', async () => {
  const dir = join(root, 'snapshots');
  const result = await runCli(['etcd', 'snapshot', '--endpoints', etcd!.clientUrl, '--dir', dir, '-o', 'json']);
  assert.is(result.code, 0, result.stderr);
  const taken = JSON.parse(result.stdout);
  const names = await readdir(dir);
  assert.equal(
    names.sort(),
    [taken.file.split('/').pop(), `${taken.file.split('/').pop()}.sha256`].sort(),
    'no temporary file is left',
  );
  assert.match(taken.file, /etcd-\d{8}T\d{9}Z\.db$/);
  const { stdout: sha } = await run('sha256sum', ['-c', `${taken.file.split('/').pop()}.sha256`], { cwd: dir });
  assert.match(sha, /: OK/);
  const status = JSON.parse(await etcdctl(etcd!.clientUrl, ['snapshot', 'status', taken.file, '-w', 'json']));
  assert.is(taken.revision, status.revision);
  assert.is(taken.revision, 7);
});

test('list shows size, revision and age, newest first (a snapshot taken past a dead endpoint)', async () => {
  const dir = join(root, 'snapshots');
  await etcdctl(etcd!.clientUrl, ['put', 'later', 'x']);
  // A dead member first: the next endpoint is tried.
  await takeEtcdSnapshot({ endpoints: [`http://127.0.0.1:${await freePort()}`, etcd!.clientUrl], dir });
  const result = await runCli(['etcd', 'list', '--dir', dir, '-o', 'json']);
  assert.is(result.code, 0, result.stderr);
  const listing = JSON.parse(result.stdout);
  assert.is(listing.length, 2);
  assert.equal(
    listing.map((entry: { revision: number }) => entry.revision),
    [8, 7],
  );
  assert.ok(listing.every((entry: { bytes: number }) => entry.bytes > 0));
  const text = await runCli(['etcd', 'list', '--dir', dir]);
  assert.match(text.stdout, /NAME\s+SIZE\s+REVISION\s+AGE/);
  assert.match(text.stdout, /KiB\s+8\s+\d+s\n/);
});

test('verify accepts the snapshot and rejects a flipped byte, a cut file and a broken meta page', async () => {
  const dir = join(root, 'snapshots');
  const [first] = await snapshotFiles(dir);
  const good = join(dir, first);
  const ok = await runCli(['etcd', 'verify', good]);
  assert.is(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /intact .*sha256 trailer matches/);

  const data = await readFile(good);
  const damaged = join(root, 'damaged');
  await rm(damaged, { recursive: true, force: true });
  await run('mkdir', ['-p', damaged]);

  const flipped = Buffer.from(data);
  flipped[Math.floor(flipped.length / 2)] ^= 0xff;
  await writeFile(join(damaged, 'flipped.db'), flipped);
  const flippedResult = await runCli(['etcd', 'verify', join(damaged, 'flipped.db')]);
  assert.is(flippedResult.code, 1);
  assert.match(flippedResult.stdout, /DAMAGED[\s\S]*sha256 etcd appended/);

  await copyFile(good, join(damaged, 'cut.db'));
  await truncate(join(damaged, 'cut.db'), data.length - 4096 - 32);
  const cut = await checkSnapshotFile(join(damaged, 'cut.db'));
  assert.ok(
    cut.problems.some((problem) => /pages need|past the end/.test(problem)),
    cut.problems.join('; '),
  );

  // A meta page with a wrong checksum and no trailer to catch it first (as if copied from a data dir).
  const meta = Buffer.from(data.subarray(0, data.length - 32));
  meta.writeUInt32LE(meta.readUInt32LE(16 + 52) ^ 1, 16 + 52);
  await writeFile(join(damaged, 'meta.db'), meta);
  const report = await checkSnapshotFile(join(damaged, 'meta.db'));
  assert.is(report.etcdHashAppended, false);
  assert.equal(report.problems, ['meta page 0 fails its checksum']);

  await copyFile(good, join(damaged, 'recorded.db'));
  await writeFile(join(damaged, 'recorded.db.sha256'), `${'0'.repeat(64)}  recorded.db\n`);
  const recorded = await checkSnapshotFile(join(damaged, 'recorded.db'));
  assert.equal(recorded.problems, [
    `its sha256 is ${recorded.sha256}, not ${'0'.repeat(64)} as recorded.db.sha256 records`,
  ]);
});

test('snapshot --keep thins old snapshots; an unreachable etcd is one sentence and leaves nothing behind', async () => {
  const dir = join(root, 'thinned');
  await run('mkdir', ['-p', dir]);
  const day = 24 * 3600_000;
  // Two snapshots on one UTC day three days back (one kept by 7d=daily), one 10 days back (kept weekly), one 100 days back.
  const threeDaysBack = Math.floor(Date.now() / day) * day - 3 * day;
  const times = [threeDaysBack + 3600_000, threeDaysBack + 7200_000, Date.now() - 10 * day, Date.now() - 100 * day];
  const old = times.map((time) => new Date(time).toISOString().replace(/[-:.]/g, ''));
  for (const stamp of old) {
    await writeFile(join(dir, `etcd-${stamp}.db`), 'old');
    await writeFile(join(dir, `etcd-${stamp}.db.sha256`), 'old');
  }
  const result = await runCli([
    'etcd',
    'snapshot',
    '--endpoints',
    etcd!.clientUrl,
    '--dir',
    dir,
    '--keep',
    '12h=all,7d=daily,30d=weekly',
  ]);
  assert.is(result.code, 0, result.stderr);
  const left = await readdir(dir);
  const kept = left.filter((name) => name.endsWith('.db'));
  assert.is(kept.length, 3, left.join(' '));
  assert.ok(kept.includes(`etcd-${old[0]}.db`) && kept.includes(`etcd-${old[2]}.db`), left.join(' '));
  assert.ok(!left.includes(`etcd-${old[1]}.db.sha256`) && !left.includes(`etcd-${old[3]}.db.sha256`));
  assert.is(result.stdout.match(/deleted /g)?.length, 2, result.stdout);

  const port = await freePort();
  const unreachable = await takeEtcdSnapshot({
    endpoints: [`http://127.0.0.1:${port}`],
    dir,
    dialTimeoutMs: 2000,
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.instance(unreachable, EtcdError);
  assert.match(
    (unreachable as Error).message,
    // The etcd client names the refused connection or, when its dial races the refusal, its own unavailability.
    /^The etcd snapshot from http:\/\/127\.0\.0\.1:\d+ failed: [^\n]+\.$/,
    (unreachable as Error).message,
  );
  assert.equal((await readdir(dir)).sort(), left.sort());
});

test.run();
