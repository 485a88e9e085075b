const dateTime = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const dayHour = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: '2-digit', hourCycle: 'h23' });
const day = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });
const clock = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function toDate(value: string | number | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `Nov 24, 10:02:03` in the browser's time zone; `—` for nothing or garbage. */
export function formatDateTime(value: string | number | Date | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const date = toDate(value);
  return date ? dateTime.format(date) : String(value);
}

/** The exact instant, for `title` attributes. */
export function formatIso(value: string | number | Date | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const date = toDate(value);
  return date ? date.toISOString() : undefined;
}

/** An axis label for a chart bucket, coarser as buckets grow. */
export function formatBucket(value: string | number, bucketMs: number): string {
  const date = toDate(value);
  if (!date) return String(value);
  if (bucketMs >= 24 * 3600_000) return day.format(date);
  if (bucketMs >= 3600_000) return dayHour.format(date);
  return clock.format(date);
}
