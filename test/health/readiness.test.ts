// The readiness sources on their own, with a clock the test moves: when each stops being ready, what
// it says, and what the monitor logs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { combineReadiness, formatDuration, HealthMonitor, type ReadinessSource } from '../../lib/health/index.ts';
import { CommitFailures, CommitsFailingError } from '../../lib/history/commit-failures.ts';
import { ClusterError } from '../../lib/errors/index.ts';
import { ApiError } from '../../lib/kube/index.ts';
import { RepositoryGoneError, RepositoryPresence } from '../../lib/sync/index.ts';
import { ApiContact } from '../../lib/watch/index.ts';
import { git, temporaryDirectory } from '../helpers/processes.ts';
import { ManualClock } from './manual-clock.ts';

const source = (name: string, ready: boolean, detail = ready ? 'ok' : 'broken'): ReadinessSource => ({
  name,
  check: () => ({ ready, detail }),
});

test('combined readiness names the first source that is not ready, else ok with what the others note', () => {
  assert.equal(combineReadiness([source('a', true), source('b', false, 'no disk'), source('c', false)]), {
    ready: false,
    detail: 'b: no disk',
  });
  assert.equal(combineReadiness([source('a', true), source('remote', true, 'in sync')]), {
    ready: true,
    detail: 'ok; remote: in sync',
  });
  assert.equal(combineReadiness([]), { ready: true, detail: 'ok' });
});

test('durations read as people write them', () => {
  assert.equal([0, 45_000, 60_000, 150_000, 3_900_000, 7_200_000].map(formatDuration), [
    '0s',
    '45s',
    '1m',
    '2m30s',
    '1h5m',
    '2h',
  ]);
});

test('the API server is unreachable once requests have failed without an answer for the bound, not before', () => {
  const clock = new ManualClock();
  const contact = new ApiContact({ clock, unreachableAfterMs: 30_000 });
  assert.ok(contact.check().ready);
  contact.failed(new ClusterError('cannot reach the API server at https://10.0.0.1: connection refused.'));
  clock.advance(29_000);
  contact.failed(new ClusterError('cannot reach the API server at https://10.0.0.1: connection refused.'));
  assert.ok(contact.check().ready, 'within the bound');
  clock.advance(1000);
  assert.equal(contact.check(), {
    ready: false,
    detail:
      'no answer from the API server for 30s: cannot reach the API server at https://10.0.0.1: connection refused',
  });
  contact.answered();
  assert.ok(contact.check().ready);
  // An error Status is an answer: the server is there.
  contact.failed(new ClusterError('cannot reach the API server at https://10.0.0.1: connection refused.'));
  clock.advance(20_000);
  contact.failed(new ApiError(500, 'InternalError', 'etcd is slow'));
  clock.advance(20_000);
  assert.ok(contact.check().ready);
});

test('failed commits back off, retry last at the bound, then give up; a success clears them', () => {
  const clock = new ManualClock();
  const failures = new CommitFailures({ clock, maxFailingMs: 10_000, retryFirstMs: 1000, retryMaxMs: 4000 });
  const delays: number[] = [];
  let next = failures.failed(new Error('main.lock exists.'));
  while ('retryInMs' in next) {
    delays.push(next.retryInMs);
    clock.advance(next.retryInMs);
    next = failures.failed(new Error('main.lock exists.'));
  }
  assert.equal(delays, [1000, 2000, 4000, 3000]);
  assert.instance(next.giveUp, CommitsFailingError);
  assert.is(next.giveUp.exitCode, 1);
  assert.is(next.giveUp.message, 'commits have failed for 10s (5 attempts); the last error: main.lock exists.');
  assert.equal(failures.check(), {
    ready: false,
    detail: 'the last commit failed and none has succeeded since (5 attempts over 10s): main.lock exists',
  });
  failures.succeeded();
  assert.equal(failures.check(), { ready: true, detail: 'ok' });
  assert.equal(failures.failed(new Error('again')), { retryInMs: 1000 }, 'a new run of failures starts over');
});

test('the monitor logs a source that stops being ready once, at error level, and its recovery; a source still starting is not an error', () => {
  const clock = new ManualClock();
  const states = new Map([
    ['sync', false],
    ['commits', true],
  ]);
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  const monitor = new HealthMonitor({
    sources: () => [...states].map(([name, ready]) => source(name, ready)),
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    clock,
  });
  monitor.start();
  clock.advance(3000);
  states.set('sync', true);
  states.set('commits', false);
  clock.advance(3000);
  states.set('commits', true);
  clock.advance(1000);
  monitor.stop();
  states.set('commits', false);
  clock.advance(5000);
  assert.equal(lines, [
    'error not ready {"source":"commits","reason":"broken"}',
    'info ready again {"source":"commits"}',
  ]);
  assert.equal(monitor.readiness(), { ready: false, detail: 'commits: broken' });
});

test('the monitor looks at start: a source ready then and failing within the first interval is logged', () => {
  const clock = new ManualClock();
  let ready = true;
  const lines: string[] = [];
  const log = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  const monitor = new HealthMonitor({
    sources: () => [source('commits', ready)],
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    clock,
  });
  monitor.start();
  ready = false;
  clock.advance(1000);
  monitor.stop();
  assert.equal(lines, ['error not ready']);
});

test('a repository deleted, or deleted and created again, is told apart from the one opened', async () => {
  const tmp = temporaryDirectory();
  try {
    const dir = join(tmp.path, 'repo.git');
    await git(tmp.path, 'init', '-q', '--bare', dir);
    const presence = new RepositoryPresence({ dir, gitdir: dir });
    assert.ok(presence.check().ready);
    presence.assertPresent();
    rmSync(dir, { recursive: true });
    assert.equal(presence.check(), {
      ready: false,
      detail: `the repository at ${dir} was deleted while kubesnap was writing to it; nothing more is committed`,
    });
    mkdirSync(join(dir, 'objects'), { recursive: true });
    assert.match(presence.check().detail, /was replaced while/);
    assert.throws(
      () => presence.assertPresent(),
      (error: unknown) => error instanceof RepositoryGoneError && error.exitCode === 1,
    );
  } finally {
    tmp.remove();
  }
});

test.run();
