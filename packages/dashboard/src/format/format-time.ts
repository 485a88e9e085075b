/**
 * Times in the browser's time zone. The year is shown only when it is not the current one, and
 * the zone is always one hover away (`describeInstant`) and named once on every page (`timeZoneLabel`).
 */
const clockParts = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' } as const;
const dateTime = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', ...clockParts });
const dateTimeYear = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  ...clockParts,
});
const dayHour = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: '2-digit', hourCycle: 'h23' });
const dayHourYear = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  hourCycle: 'h23',
});
const day = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });
const dayYear = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
const clock = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const full = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  ...clockParts,
  timeZoneName: 'short',
});
const zoneName = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });

function toDate(value: string | number | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function sameYear(date: Date, now: number): boolean {
  return date.getFullYear() === new Date(now).getFullYear();
}

/** `Nov 24, 10:02:03` this year, `Nov 24, 2025, 10:02:03` otherwise; `—` for nothing, garbage as it came. */
export function formatDateTime(value: string | number | Date | null | undefined, now = Date.now()): string {
  if (value === null || value === undefined) return '—';
  const date = toDate(value);
  if (!date) return String(value);
  return (sameYear(date, now) ? dateTime : dateTimeYear).format(date);
}

/** The exact instant, for `dateTime` attributes. */
export function formatIso(value: string | number | Date | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const date = toDate(value);
  return date ? date.toISOString() : undefined;
}

/** For hovers: `Tue, Nov 24, 2026, 10:02:03 GMT+1 · 2026-11-24T09:02:03.000Z` (local with its zone, then UTC). */
export function describeInstant(value: string | number | Date | null | undefined): string | undefined {
  const iso = formatIso(value);
  return iso && `${full.format(new Date(iso))} · ${iso}`;
}

/** The zone the dashboard shows times in: `Europe/Berlin (GMT+1)`. */
export function timeZoneLabel(at = new Date()): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const short = zoneName.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  return short && short !== zone ? `${zone} (${short})` : zone;
}

/** An axis label for a chart bucket, coarser as buckets grow; with the year when it is not this one. */
export function formatBucket(value: string | number, bucketMs: number, now = Date.now()): string {
  const date = toDate(value);
  if (!date) return String(value);
  const thisYear = sameYear(date, now);
  if (bucketMs >= 24 * 3600_000) return (thisYear ? day : dayYear).format(date);
  if (bucketMs >= 3600_000) return (thisYear ? dayHour : dayHourYear).format(date);
  return clock.format(date);
}
