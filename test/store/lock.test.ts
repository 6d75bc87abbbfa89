import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  assert.match(message, new RegExp(`^repository is locked by kubesnap watch \\(pid ${process.pid} on host ${hostname()}\\) since \\d{4}-`));
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
  writeFileSync(lockPath, JSON.stringify({ pid: deadPid, host: hostname(), command: 'kubesnap watch', since: '2026-01-01T00:00:00.000Z' }));
  const lock = await acquireLock(repo, me);
  assert.is(JSON.parse(readFileSync(lockPath, 'utf8')).pid, process.pid);
  await lock.release();

  writeFileSync(lockPath, JSON.stringify({ pid: deadPid, host: 'elsewhere', command: 'kubesnap watch', since: '2026-01-01T00:00:00.000Z' }));
  assert.match(await lockedBy(repo), /on host elsewhere\) since 2026-01-01/);
  writeFileSync(lockPath, 'half-written');
  const overDebris = await acquireLock(repo, me);
  await overDebris.release();
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
