// When a HistoryWriter commits, on a ManualClock: the batch window from the first pending change, --batch-max at
// once, nothing while held or while commits fail (then the retry timer alone), nothing after stop.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CommitSchedule } from '../../lib/history/commit-schedule.ts';
import { ManualClock } from '../health/manual-clock.ts';

function schedule(failing = () => false) {
  const clock = new ManualClock();
  const commits: number[] = [];
  const start = clock.now();
  const commitSchedule = new CommitSchedule({
    batchMs: 5000,
    batchMax: 10,
    clock,
    failing,
    commit: () => commits.push(clock.now() - start),
  });
  return { clock, commits, schedule: commitSchedule };
}

test('a commit comes batchMs after the first pending change, not after the latest', () => {
  const { clock, commits, schedule: s } = schedule();
  s.pendingChanged(1);
  clock.advance(3000);
  s.pendingChanged(2);
  clock.advance(1999);
  assert.equal(commits, []);
  clock.advance(1);
  assert.equal(commits, [5000]);
});

test('batchMax pending changes commit at once; nothing pending cancels the window', () => {
  const { clock, commits, schedule: s } = schedule();
  s.pendingChanged(10);
  assert.equal(commits, [0]);
  s.pendingChanged(1);
  s.pendingChanged(0);
  clock.advance(60_000);
  assert.equal(commits, [0]);
});

test('held, nothing is committed; released, the window starts', () => {
  const { clock, commits, schedule: s } = schedule();
  s.pendingChanged(1);
  s.hold();
  s.pendingChanged(50);
  clock.advance(60_000);
  assert.equal(commits, []);
  s.release(50);
  assert.equal(commits, [60_000]);
});

test('while commits fail only the retry timer commits; after stop nothing does', () => {
  let failing = true;
  const { clock, commits, schedule: s } = schedule(() => failing);
  s.retryAfter(1000);
  s.pendingChanged(50);
  assert.equal(commits, []);
  clock.advance(1000);
  assert.equal(commits, [1000]);
  failing = false;
  s.committing();
  s.pendingChanged(1);
  s.stop();
  s.retryAfter(1000);
  clock.advance(60_000);
  assert.equal(commits, [1000]);
});

test.run();
