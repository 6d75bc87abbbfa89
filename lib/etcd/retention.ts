// `--keep 24h=all,7d=daily,90d=weekly`: each rule covers snapshots up to an age and keeps all of them
// or one per hour/day/week/month (the oldest of each period, so a kept snapshot stays kept as newer
// ones age into its rule); snapshots older than every rule are deleted. The newest snapshot is always kept.
import { rm } from 'node:fs/promises';
import { UsageError } from '../errors/index.ts';
import { findSnapshots, type SnapshotEntry } from './catalog.ts';

export type RetentionKeep = 'all' | 'hourly' | 'daily' | 'weekly' | 'monthly';

export interface RetentionRule {
  maxAgeMs: number;
  keep: RetentionKeep;
}

const hour = 3_600_000;
const ageUnits: Record<string, number> = { h: hour, d: 24 * hour, w: 7 * 24 * hour };
const keeps: RetentionKeep[] = ['all', 'hourly', 'daily', 'weekly', 'monthly'];

export function parseRetentionPolicy(text: string): RetentionRule[] {
  const rules = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(\d+)([hdw])=([a-z]+)$/.exec(part);
      if (!match || !keeps.includes(match[3] as RetentionKeep)) {
        throw new UsageError(
          `--keep "${part}" is not of the form AGE=WHAT, like 24h=all, 7d=daily or 12w=weekly (WHAT: ${keeps.join(', ')}).`,
        );
      }
      return { maxAgeMs: Number(match[1]) * ageUnits[match[2]], keep: match[3] as RetentionKeep };
    });
  if (rules.length === 0) throw new UsageError('--keep needs at least one rule, like 24h=all,7d=daily.');
  return rules.sort((a, b) => a.maxAgeMs - b.maxAgeMs);
}

function period(keep: Exclude<RetentionKeep, 'all'>, time: Date): string {
  switch (keep) {
    case 'hourly':
      return String(Math.floor(time.getTime() / hour));
    case 'daily':
      return time.toISOString().slice(0, 10);
    case 'weekly': {
      // Weeks start on Monday (UTC): shift the epoch (a Thursday) to the Monday before it.
      return String(Math.floor((time.getTime() + 3 * 24 * hour) / (7 * 24 * hour)));
    }
    case 'monthly':
      return time.toISOString().slice(0, 7);
  }
}

/** Which snapshots the policy keeps and which it deletes, at `now`. */
export function applyRetentionPolicy<T extends { takenAt: Date }>(
  snapshots: T[],
  rules: RetentionRule[],
  now: Date,
): { keep: T[]; remove: T[] } {
  const keep: T[] = [];
  const remove: T[] = [];
  const taken = new Set<string>();
  const oldestFirst = [...snapshots].sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime());
  const newest = oldestFirst[oldestFirst.length - 1];
  for (const snapshot of oldestFirst) {
    if (snapshot === newest) {
      keep.push(snapshot);
      continue;
    }
    const age = Math.max(0, now.getTime() - snapshot.takenAt.getTime());
    const ruleIndex = rules.findIndex((rule) => age <= rule.maxAgeMs);
    const rule = rules[ruleIndex];
    if (!rule) {
      remove.push(snapshot);
    } else if (rule.keep === 'all') {
      keep.push(snapshot);
    } else {
      const slot = `${ruleIndex}/${period(rule.keep, snapshot.takenAt)}`;
      (taken.has(slot) ? remove : keep).push(snapshot);
      taken.add(slot);
    }
  }
  const newestFirst = (a: T, b: T) => b.takenAt.getTime() - a.takenAt.getTime();
  return { keep: keep.sort(newestFirst), remove: remove.sort(newestFirst) };
}

/** Deletes the snapshots (and their `.sha256`) of `dir` the policy does not keep; returns what it deleted. */
export async function pruneSnapshots(dir: string, rules: RetentionRule[], now: Date): Promise<SnapshotEntry[]> {
  const { remove } = applyRetentionPolicy(await findSnapshots(dir), rules, now);
  for (const snapshot of remove) {
    await rm(snapshot.file, { force: true });
    await rm(`${snapshot.file}.sha256`, { force: true });
  }
  return remove;
}
