// Parsers of flag values shared by several commands: lists, durations, times, counts. Each throws a UsageError
// naming the flag when the value is not one.
import { UsageError } from '../../lib/errors/index.ts';
import { parseApproxidate } from '../../lib/store/approxidate.ts';

/** Repeatable flags that also take comma-separated lists: `--include deploy,svc --include cm`. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** Repeatable flags taken as given, commas and all: `--path 'a,b' --path c`. */
export function collectValues(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `5s`, `500ms`, `2m`, `1h`, or `0` → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  if (text.trim() === '0') return 0;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag} "${text}" is not a duration like 500ms, 5s, 2m or 1h.`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

/** `--at`: a time as git reads one (`2026-11-20T10:00Z`, `yesterday`, `2 hours ago`, `1h`). */
export function parseTime(text: string, flag: string): Date {
  const seconds = parseApproxidate(text);
  if (seconds === undefined)
    throw new UsageError(`${flag} "${text}" is not a time (e.g. 2026-11-20T10:00Z, yesterday, "2 hours ago", 1h).`);
  return new Date(seconds * 1000);
}

export function parsePositiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} "${text}" is not a positive whole number.`);
  return value;
}
