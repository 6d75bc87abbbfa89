import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { acquireLock, SnapshotRepository } from '../../lib/store/index.ts';
import { removeFailedWriteFiles } from '../../lib/store/temporary-files.ts';
import { temporaryDir } from './real-git.ts';

const root = temporaryDir('temporary-files');
const me = { pid: process.pid, host: hostname(), command: 'kubesnap watch' };
const packName = (digit: string) => `pack-${digit.repeat(40)}`;

/** Writes `path` (folders too), its time `ageMinutes` ago. */
function file(path: string, ageMinutes = 0): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, 'x');
  const time = new Date(Date.now() - ageMinutes * 60_000);
  utimesSync(path, time, time);
  return path;
}

test('holding the lock, a start sweeps what an earlier kubesnap left and nothing another program may still be writing', async () => {
  const repo = await SnapshotRepository.open(join(root, 'sweep.git'));
  const objects = join(repo.gitdir, 'objects');
  const deadPid = Number(
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout,
  );
  const sleeper = spawn('sleep', ['30']);
  try {
    await new Promise((resolve) => sleeper.once('spawn', resolve));
    const swept = [
      file(join(objects, 'ab', 'tmp_obj_0123456789ab')),
      file(join(objects, 'pack', 'tmp_pack_0123456789ab')),
      file(join(objects, 'pack', 'tmp_idx_0123456789ab')),
      file(join(objects, 'pack', `${packName('1')}.pack`), 20),
      file(join(repo.gitdir, `kubesnap.lock.${deadPid}.0badf00d`)),
      file(join(repo.gitdir, `kubesnap.lock.${process.pid}.0badf00d`), 60 * 24),
      file(join(repo.gitdir, `kubesnap.lock.${sleeper.pid}.01df00d0`), 20),
      file(join(repo.gitdir, 'kubesnap.lock.takeover-0123456789abcdef'), 20),
    ];
    const kept = [
      file(join(objects, 'ab', 'tmp_obj_Ab3xYz'), 60),
      file(join(objects, 'pack', 'tmp_pack_Qw1rTy'), 60),
      file(join(objects, 'pack', `${packName('2')}.pack`)),
      file(join(objects, 'pack', `${packName('3')}.pack`), 20),
      file(join(objects, 'pack', `${packName('3')}.keep`), 20),
      file(join(objects, 'pack', `${packName('4')}.pack`), 20),
      file(join(objects, 'pack', `${packName('4')}.promisor`), 20),
      file(join(repo.gitdir, `kubesnap.lock.${sleeper.pid}.f00df00d`)),
      file(join(repo.gitdir, 'kubesnap.lock.takeover-fedcba9876543210')),
    ];
    const lock = await acquireLock(repo, me);
    await lock.release();
    for (const path of swept) assert.not.ok(existsSync(path), `${path} should be swept`);
    for (const path of kept) assert.ok(existsSync(path), `${path} should be kept`);
  } finally {
    sleeper.kill();
  }
});

test("after a failed write, what it made since it started goes; older files and git's own stay", async () => {
  const repo = await SnapshotRepository.open(join(root, 'failed.git'));
  const objects = join(repo.gitdir, 'objects');
  const earlier = [
    file(join(objects, 'cd', 'tmp_obj_00000000000a'), 5),
    file(join(objects, 'pack', `${packName('5')}.pack`), 5),
  ];
  const startedAtMs = Date.now();
  const ours = [
    file(join(objects, 'cd', 'tmp_obj_00000000000b')),
    file(join(objects, 'pack', 'tmp_idx_00000000000c')),
    file(join(objects, 'pack', `${packName('6')}.pack`)),
  ];
  const others = [
    file(join(objects, 'cd', 'tmp_obj_Zx9kLm')),
    file(join(objects, 'pack', `${packName('7')}.pack`)),
    file(join(objects, 'pack', `${packName('7')}.idx`)),
  ];
  removeFailedWriteFiles(repo.gitdir, startedAtMs);
  for (const path of ours) assert.not.ok(existsSync(path), `${path} should be removed`);
  for (const path of [...earlier, ...others]) assert.ok(existsSync(path), `${path} should be kept`);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
