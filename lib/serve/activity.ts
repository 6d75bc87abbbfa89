import type { LogEntry } from '../store/index.ts';
import type { CommitChangeCounter } from './commit-changes.ts';

const WIDTH = 900;
const HEIGHT = 140;
const STACKED_GROUPS = 8;
const HOUR = 3600;
const DAY = 24 * HOUR;

export interface ActivityBar {
  /** The bucket, seconds since the epoch: [since, until). */
  since: number;
  until: number;
  x: number;
  width: number;
  total: number;
  segments: { group: string; colour: number; y: number; height: number; count: number }[];
}

export interface ActivityPicture {
  width: number;
  height: number;
  unit: 'hour' | 'day';
  stackedBy: 'namespace' | 'kind';
  bars: ActivityBar[];
  legend: { group: string; colour: number }[];
}

/**
 * Changes per hour (per day when the commits span more than three days), each bar stacked by namespace or kind:
 * the eight biggest groups, the rest as "other". Coordinates are computed here so the template only draws.
 */
export async function activityPicture(
  entries: readonly LogEntry[],
  counter: CommitChangeCounter,
  stackedBy: 'namespace' | 'kind',
): Promise<ActivityPicture> {
  const picture: ActivityPicture = { width: WIDTH, height: HEIGHT, unit: 'hour', stackedBy, bars: [], legend: [] };
  if (entries.length === 0) return picture;
  const times = entries.map((entry) => entry.committer.timestamp);
  const newest = Math.max(...times);
  const oldest = Math.min(...times);
  const step = newest - oldest > 3 * DAY ? DAY : HOUR;
  picture.unit = step === DAY ? 'day' : 'hour';
  const first = Math.floor(oldest / step) * step;
  const bucketCount = Math.floor(newest / step) - first / step + 1;
  const buckets = Array.from({ length: bucketCount }, () => new Map<string, number>());
  const groupTotals = new Map<string, number>();
  for (const entry of entries) {
    const changes = await counter.of(entry);
    const bucket = buckets[Math.floor((entry.committer.timestamp - first) / step)];
    for (const [group, count] of stackedBy === 'namespace' ? changes.byNamespace : changes.byKind) {
      bucket.set(group, (bucket.get(group) ?? 0) + count);
      groupTotals.set(group, (groupTotals.get(group) ?? 0) + count);
    }
  }
  const shown = [...groupTotals.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, STACKED_GROUPS)
    .map(([group]) => group);
  const colourOf = (group: string) => (shown.includes(group) ? shown.indexOf(group) : STACKED_GROUPS);
  picture.legend = shown.map((group, colour) => ({ group, colour }));
  if (groupTotals.size > shown.length) picture.legend.push({ group: 'other', colour: STACKED_GROUPS });
  const tallest = Math.max(1, ...buckets.map((bucket) => sum(bucket.values())));
  const barWidth = WIDTH / bucketCount;
  picture.bars = buckets.map((bucket, index) => {
    const counts = new Map<number, number>();
    for (const [group, count] of bucket) counts.set(colourOf(group), (counts.get(colourOf(group)) ?? 0) + count);
    let top = HEIGHT;
    const segments = [...counts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([colour, count]) => {
        const height = (count / tallest) * HEIGHT;
        top -= height;
        return { group: colour < shown.length ? shown[colour] : 'other', colour, y: top, height, count };
      });
    const since = first + index * step;
    return {
      since,
      until: since + step,
      x: index * barWidth,
      width: Math.max(1, barWidth - 1),
      total: sum(bucket.values()),
      segments,
    };
  });
  return picture;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
