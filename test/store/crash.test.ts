import { spawn } from 'node:child_process';
import { existsSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RepositoryError } from '../../lib/errors/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { countObjects, fsck, git, temporaryDir } from './real-git.ts';

const root = temporaryDir('crash');
const author = { name: 'kubesnap', email: 'kubesnap@example.com', timestamp: 1_800_000_000 };
const loop = fileURLToPath(new URL('./commit-loop.ts', import.meta.url));

test('objects written but the ref not moved (its lock is held): the branch stays at the old commit, fsck is clean', async () => {
  const dir = join(root, 'held.git');
  const repo = await SnapshotRepository.open(dir);
  const first = await repo.commitChanges([{ path: 'a.yaml', content: '1\n' }], { message: 'first', author });
  writeFileSync(join(dir, 'refs', 'heads', 'main.lock'), '');
  for (const size of [3, 500]) {
    const changes = Array.from({ length: size }, (_, i) => ({ path: `ns/f-${i}.yaml`, content: `${size} ${i}\n` }));
    try {
      await repo.commitChanges(changes, { message: 'interrupted', author });
      assert.unreachable('the ref update should fail');
    } catch (error) {
      assert.instance(error, RepositoryError);
      assert.match((error as Error).message, /main\.lock exists/);
    }
    assert.is(await repo.head(), first?.commit);
    assert.is(git(dir, ['rev-parse', 'main']).trim(), first?.commit);
  }
  const counts = countObjects(dir);
  assert.ok(counts.loose > 3 && counts.packs === 1, 'the objects were written');
  fsck(dir);
  // A lock left that long ago was left by a crash, not by a git at work: it is cleared.
  utimesSync(join(dir, 'refs', 'heads', 'main.lock'), new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
  const next = await repo.commitChanges([{ path: 'b.yaml', content: '2\n' }], { message: 'after', author });
  assert.not.ok(existsSync(join(dir, 'refs', 'heads', 'main.lock')));
  assert.is(git(dir, ['rev-parse', 'main~1']).trim(), first?.commit);
  assert.is(git(dir, ['rev-parse', 'main']).trim(), next?.commit);
  assert.is(git(dir, ['reflog', 'main']).trim().split('\n').length, 2);
  fsck(dir);
});

test('kill -9 at random moments while committing leaves a consistent repository', async () => {
  const dir = join(root, 'killed.git');
  await SnapshotRepository.open(dir);
  for (let attempt = 0; attempt < 4; attempt++) {
    const child = spawn(process.execPath, ['--import', 'tsx', loop, dir, String(attempt)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 600));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // A kill between taking and renaming the ref lock leaves it behind, as with git; nothing else may be off.
    rmSync(join(dir, 'refs', 'heads', 'main.lock'), { force: true });
    fsck(dir);
    const repo = await SnapshotRepository.open(dir);
    const head = await repo.head();
    if (head) {
      assert.is(git(dir, ['rev-parse', 'main']).trim(), head);
      assert.is(git(dir, ['ls-tree', '-r', '--name-only', 'main']).trim().split('\n').length, (await repo.readFiles()).size);
    }
  }
  process.stdout.write(`(${git(dir, ['rev-list', '--count', '--all']).trim() || 0} commits survived the kills) `);
  const repo = await SnapshotRepository.open(dir);
  const result = await repo.commitChanges([{ path: 'after/crash.yaml', content: 'ok\n' }], { message: 'after the crashes', author });
  assert.ok(result);
  assert.not.ok(existsSync(join(dir, 'refs', 'heads', 'main.lock')));
  fsck(dir);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
