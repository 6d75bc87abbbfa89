import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LockedError } from '../../lib/errors/index.ts';
import { acquireLock, SnapshotRepository } from '../../lib/store/index.ts';
import { temporaryDir } from './real-git.ts';

const root = temporaryDir('lock');
const me = { pid: process.pid, host: hostname(), command: 'kubesnap watch' };

async function lockedBy(repo: SnapshotRepository | string): Promise<string> {
  try {
    await acquireLock(repo, { ...me, command: 'kubesnap snapshot' });
  } catch (error) {
    assert.instance(error, LockedError);
    return (error as Error).message;
  }
  throw new Error('the second acquire should fail');
}

test('a second acquire fails with one sentence naming the holder; release frees it', async () => {
  const repo = await SnapshotRepository.open(join(root, 'a.git'));
  const lock = await acquireLock(repo, me);
  const record = JSON.parse(readFileSync(join(repo.gitdir, 'kubesnap.lock'), 'utf8'));
  assert.is(record.pid, process.pid);
  assert.is(record.command, 'kubesnap watch');
  assert.ok(!Number.isNaN(Date.parse(record.since)));
  const message = await lockedBy(repo);
  assert.match(
    message,
    new RegExp(`^repository is locked by kubesnap watch \\(pid ${process.pid} on host ${hostname()}\\) since \\d{4}-`),
  );
  assert.is(message.split('\n').length, 1);
  assert.match(await lockedBy(repo.dir), /locked by kubesnap watch/);
  await lock.release();
  assert.not.ok(existsSync(join(repo.gitdir, 'kubesnap.lock')));
  const again = await acquireLock(repo, me);
  await again.release();
});

test('a stale lock (its process is gone from this host) is taken over; one on another host is not', async () => {
  const repo = await SnapshotRepository.open(join(root, 'b.git'));
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(gone.stdout);
  const lockPath = join(repo.gitdir, 'kubesnap.lock');
  writeFileSync(
    lockPath,
    JSON.stringify({ pid: deadPid, host: hostname(), command: 'kubesnap watch', since: '2026-01-01T00:00:00.000Z' }),
  );
  const lock = await acquireLock(repo, me);
  assert.is(JSON.parse(readFileSync(lockPath, 'utf8')).pid, process.pid);
  await lock.release();

  writeFileSync(
    lockPath,
    JSON.stringify({ pid: deadPid, host: 'elsewhere', command: 'kubesnap watch', since: '2026-01-01T00:00:00.000Z' }),
  );
  assert.match(await lockedBy(repo), /on host elsewhere\) since 2026-01-01/);
  writeFileSync(lockPath, 'half-written');
  const overDebris = await acquireLock(repo, me);
  await overDebris.release();
});

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks after boot. */
function startTimeOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

test('a lock naming a live pid that is now another process (a restarted PID 1) is taken over; the live holder is not', async () => {
  const repo = await SnapshotRepository.open(join(root, 'pid1.git'));
  const lockPath = join(repo.gitdir, 'kubesnap.lock');
  const sleeper = spawn('sleep', ['30']);
  try {
    await new Promise((resolve) => sleeper.once('spawn', resolve));
    const live = {
      pid: sleeper.pid!,
      host: hostname(),
      command: 'kubesnap watch',
      since: '2026-01-01T00:00:00.000Z',
      bootId,
      startTime: startTimeOf(sleeper.pid!),
    };
    const predecessors = {
      'our own pid, started earlier': { ...live, pid: process.pid, startTime: startTimeOf(process.pid) - 1 },
      'a live pid, started at another time': { ...live, startTime: live.startTime + 100 },
      'a live pid of another boot': { ...live, bootId: '00000000-0000-0000-0000-000000000000' },
      'our own pid, written by a kubesnap that kept no start time': {
        pid: process.pid,
        host: hostname(),
        command: 'kubesnap watch',
        since: '2026-01-01T00:00:00.000Z',
      },
    };
    for (const [what, record] of Object.entries(predecessors)) {
      writeFileSync(lockPath, JSON.stringify(record));
      const lock = await acquireLock(repo, me).catch((error: Error) => {
        throw new Error(`${what}: ${error.message}`);
      });
      const taken = JSON.parse(readFileSync(lockPath, 'utf8'));
      assert.is(taken.pid, process.pid, what);
      assert.is(taken.startTime, startTimeOf(process.pid), what);
      assert.is(taken.bootId, bootId, what);
      await lock.release();
    }
    writeFileSync(lockPath, JSON.stringify(live));
    assert.match(
      await lockedBy(repo),
      new RegExp(
        `^repository is locked by kubesnap watch \\(pid ${sleeper.pid} on host ${hostname()}\\) since 2026-01-01`,
      ),
    );
    const { startTime: _, bootId: __, ...withoutIdentity } = live;
    writeFileSync(lockPath, JSON.stringify(withoutIdentity));
    assert.match(await lockedBy(repo), new RegExp(`\\(pid ${sleeper.pid} on host`));
  } finally {
    sleeper.kill();
  }
});

test('a lock from another host is trusted while its holder touches it, and taken over once it stopped for minutes', async () => {
  const repo = await SnapshotRepository.open(join(root, 'foreign.git'));
  const lockPath = join(repo.gitdir, 'kubesnap.lock');
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
  writeFileSync(
    lockPath,
    JSON.stringify({
      pid: 1,
      host: 'kubesnap-7d9f-old-pod',
      command: 'kubesnap watch',
      since: '2026-01-01T00:00:00.000Z',
    }),
  );
  utimesSync(lockPath, minutesAgo(2), minutesAgo(2));
  assert.match(await lockedBy(repo), /pid 1 on host kubesnap-7d9f-old-pod/);
  utimesSync(lockPath, minutesAgo(6), minutesAgo(6));
  const lock = await acquireLock(repo, me, { heartbeatMs: 10 });
  try {
    assert.is(JSON.parse(readFileSync(lockPath, 'utf8')).host, hostname());
    // Our own heartbeat: the file we hold is touched again, however old it was made to look.
    utimesSync(lockPath, minutesAgo(60), minutesAgo(60));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(Date.now() - statSync(lockPath).mtimeMs < 5_000);
  } finally {
    await lock.release();
  }
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
