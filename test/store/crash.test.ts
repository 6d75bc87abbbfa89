import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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

/**
 * Starts commit-loop.ts on the repository and kills it with SIGKILL at a random moment, `attempts` times; after each
 * kill, fsck must pass and our reader and git must agree on the branch. Returns how many commits survived.
 */
async function killWhileCommitting(
  dir: string,
  attempts: number,
  loopArgs: string[] = [],
  afterKill: () => void = () => {},
): Promise<string> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const child = spawn(process.execPath, ['--import', 'tsx', loop, dir, String(attempt), ...loopArgs], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 600));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // A kill between taking and renaming the ref lock leaves it behind, as with git; nothing else may be off.
    rmSync(join(dir, 'refs', 'heads', 'main.lock'), { force: true });
    afterKill();
    fsck(dir);
    const repo = await SnapshotRepository.open(dir);
    const head = await repo.head();
    if (head) {
      assert.is(git(dir, ['rev-parse', 'main']).trim(), head);
      assert.is(
        git(dir, ['ls-tree', '-r', '--name-only', 'main']).trim().split('\n').length,
        (await repo.readFiles()).size,
      );
    }
  }
  return git(dir, ['rev-list', '--count', '--all']).trim() || '0';
}

test('kill -9 at random moments while committing leaves a consistent repository', async () => {
  const dir = join(root, 'killed.git');
  await SnapshotRepository.open(dir);
  process.stdout.write(`(${await killWhileCommitting(dir, 4)} commits survived the kills) `);
  const repo = await SnapshotRepository.open(dir);
  const result = await repo.commitChanges([{ path: 'after/crash.yaml', content: 'ok\n' }], {
    message: 'after the crashes',
    author,
  });
  assert.ok(result);
  assert.not.ok(existsSync(join(dir, 'refs', 'heads', 'main.lock')));
  fsck(dir);
});

test('kill -9 while packs are being merged leaves a consistent repository', async () => {
  const dir = join(root, 'killed-merging.git');
  await SnapshotRepository.open(dir);
  // Every commit is a pack of 2,000 files, and about every eighth merges 16,000 objects or more.
  // A kill within a merge leaves objects in two packs; within any pack write, a temp file.
  const kills = { merging: 0, writing: 0 };
  let before = { twice: 0, temporary: 0 };
  const survived = await killWhileCommitting(dir, 6, ['2000'], () => {
    const unique = git(dir, ['cat-file', '--batch-all-objects', '--batch-check']).trim().split('\n').length;
    const now = {
      twice: countObjects(dir).packed - unique,
      temporary: readdirSync(join(dir, 'objects', 'pack')).filter((name) => name.startsWith('tmp_')).length,
    };
    if (now.twice > before.twice) kills.merging++;
    else if (now.temporary > before.temporary) kills.writing++;
    before = now;
  });
  process.stdout.write(
    `(${survived} commits survived; of 6 kills, ${kills.merging} after a merge's pack and before its deletions, ${kills.writing} within a pack write) `,
  );
  const repo = await SnapshotRepository.open(dir);
  for (let round = 0; round < 9; round++) {
    const changes = Array.from({ length: 200 }, (_, i) => ({ path: `after/c-${i}.yaml`, content: `${round} ${i}\n` }));
    await repo.commitChanges(changes, { message: `after ${round}`, author });
  }
  // A merge of 20,000 objects or more is in place once close() returns (it runs on a thread of its own).
  await repo.close();
  assert.ok(countObjects(dir).packs <= 8);
  fsck(dir);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
