// The store's time is the Clock it was opened with: a commit whose author has no time, and its reflog entry, carry it.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { ManualClock } from '../health/manual-clock.ts';
import { git, temporaryDir } from './real-git.ts';

const root = temporaryDir('clock');

test("a commit without an author time and its reflog entry take the time of the repository's clock", async () => {
  const clock = new ManualClock(Date.UTC(2030, 0, 2, 3, 4, 5));
  const repository = await SnapshotRepository.open(join(root, 'repo.git'), { clock });
  await repository.commitChanges([{ path: 'a.yaml', content: 'a: 1\n' }], {
    message: 'one',
    author: { name: 'test', email: 'test@localhost' },
  });
  const seconds = String(clock.now() / 1000);
  assert.is(git(repository.gitdir, ['log', '-1', '--format=%at %ct']).trim(), `${seconds} ${seconds}`);
  const reflog = readFileSync(join(repository.gitdir, 'logs', 'refs', 'heads', 'main'), 'utf8');
  assert.match(reflog, ` ${seconds} +0000\t`);
});

test.after(() => rmSync(root, { recursive: true, force: true }));

test.run();
