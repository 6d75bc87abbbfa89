import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  applyRetentionPolicy,
  parseRetentionPolicy,
  parseSnapshotFileName,
  shellQuote,
  snapshotFileName,
} from '../../lib/etcd/index.ts';
import { UsageError } from '../../lib/errors/index.ts';

const now = new Date('2026-11-24T12:00:00.000Z');
const hoursAgo = (hours: number) => ({ takenAt: new Date(now.getTime() - hours * 3600_000), label: `${hours}h` });

test('parses rules and sorts them by age', () => {
  assert.equal(parseRetentionPolicy('90d=weekly, 24h=all,7d=daily'), [
    { maxAgeMs: 24 * 3600_000, keep: 'all' },
    { maxAgeMs: 7 * 24 * 3600_000, keep: 'daily' },
    { maxAgeMs: 90 * 24 * 3600_000, keep: 'weekly' },
  ]);
  assert.equal(parseRetentionPolicy('2w=monthly'), [{ maxAgeMs: 14 * 24 * 3600_000, keep: 'monthly' }]);
  for (const bad of ['', '24h', '24h=some', '7x=daily', 'd=daily']) {
    assert.throws(
      () => parseRetentionPolicy(bad),
      (error: unknown) => error instanceof UsageError,
      bad,
    );
  }
});

test('keeps all of the newest, one per day, one per week, and deletes what is older than every rule', () => {
  const rules = parseRetentionPolicy('24h=all,7d=daily,90d=weekly');
  // Hourly snapshots for 120 days.
  const snapshots = Array.from({ length: 120 * 24 }, (_unused, index) => hoursAgo(index));
  const { keep, remove } = applyRetentionPolicy(snapshots, rules, now);
  assert.is(keep.length + remove.length, snapshots.length);
  const ages = keep.map((snapshot) => (now.getTime() - snapshot.takenAt.getTime()) / 3600_000);
  assert.equal(
    ages.slice(0, 25),
    Array.from({ length: 25 }, (_unused, index) => index),
    'everything of the last 24 hours',
  );
  const daily = ages.filter((age) => age > 24 && age <= 7 * 24);
  const days = daily.map((age) => new Date(now.getTime() - age * 3600_000).toISOString().slice(0, 10));
  assert.is(new Set(days).size, days.length, 'one per day');
  assert.ok(daily.length >= 6 && daily.length <= 7, String(daily));
  const weekly = ages.filter((age) => age > 7 * 24);
  assert.ok(weekly.length >= 12 && weekly.length <= 13, String(weekly));
  assert.ok(
    ages.every((age) => age <= 90 * 24),
    'nothing older than 90 days',
  );
  for (let index = 1; index < weekly.length; index++)
    assert.ok(weekly[index] - weekly[index - 1] >= 24, 'at most one per week');
  // The oldest of each day is kept: inside the daily rule, a kept snapshot stays kept an hour later.
  const later = applyRetentionPolicy(snapshots, rules, new Date(now.getTime() + 3600_000));
  const keptLater = new Set(later.keep);
  const keptDaily = keep.filter((snapshot) => {
    const age = now.getTime() - snapshot.takenAt.getTime();
    return age > 24 * 3600_000 && age < 6 * 24 * 3600_000;
  });
  assert.ok(keptDaily.length >= 5 && keptDaily.every((snapshot) => keptLater.has(snapshot)));
});

test('the newest snapshot is always kept, even by a rule that keeps the oldest of its day', () => {
  const { keep } = applyRetentionPolicy(
    [hoursAgo(0), hoursAgo(1), hoursAgo(200)],
    parseRetentionPolicy('1d=daily'),
    now,
  );
  assert.equal(
    keep.map((snapshot) => snapshot.label),
    ['0h', '1h'],
  );
});

test('snapshot file names carry their UTC time to the millisecond and parse back', () => {
  const name = snapshotFileName(new Date('2026-01-02T03:04:05.678Z'));
  assert.is(name, 'etcd-20260102T030405678Z.db');
  assert.equal(parseSnapshotFileName(name), new Date('2026-01-02T03:04:05.678Z'));
  assert.is(parseSnapshotFileName('etcd-20260102T030405678Z.db.sha256'), undefined);
  assert.is(parseSnapshotFileName('etcd-20261302T030405678Z.db'), undefined);
});

test('restore commands are quoted for a shell, leaving $VARIABLES to expand', () => {
  assert.is(shellQuote('/var/lib/etcd'), '/var/lib/etcd');
  assert.is(shellQuote('$NODE_NAME=https://$NODE_IP:2380'), '"$NODE_NAME=https://$NODE_IP:2380"');
  assert.is(shellQuote("it's here"), `'it'\\''s here'`);
});

test.run();
