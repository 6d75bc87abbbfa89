// Times as git reads them in `main@{...}` and `--since` (its "approxidate"), the forms people type.
const UNIT_SECONDS: Record<string, number> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86400,
  week: 604800,
  month: 2592000,
  year: 31536000,
};
const SHORT_UNITS: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', y: 'year' };

/**
 * `2026-11-20T10:00Z`, `2026-11-20 10:00:00`, `now`, `yesterday`, `3 hours ago`, `3.hours.ago`, and `1h`, `30m`, `2d`
 * (that long ago) → seconds since the epoch; undefined when it is none of these.
 */
export function parseApproxidate(text: string, now = Date.now()): number | undefined {
  const trimmed = text.trim().toLowerCase();
  const nowSeconds = Math.floor(now / 1000);
  if (trimmed === 'now') return nowSeconds;
  if (trimmed === 'yesterday') return nowSeconds - UNIT_SECONDS.day;
  const relative = /^(\d+)[ .]*(second|minute|hour|day|week|month|year)s?[ .]+ago$/.exec(trimmed);
  if (relative) return nowSeconds - Number(relative[1]) * UNIT_SECONDS[relative[2]];
  const short = /^(\d+)([smhdwy])$/.exec(trimmed);
  if (short) return nowSeconds - Number(short[1]) * UNIT_SECONDS[SHORT_UNITS[short[2]]];
  const parsed = Date.parse(text.trim());
  return Number.isNaN(parsed) ? undefined : Math.floor(parsed / 1000);
}
