/**
 * Rollups are kept per UTC hour and per UTC day. A query range [from, to]
 * (inclusive, epoch ms) is answered from whole days where it covers them, whole
 * hours where it covers those, and the events themselves for the partial
 * hours at its ends: exact, and never more than two hours of events read.
 */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface RangeParts {
  /** [from, to) spans of events to read directly (partial hours). */
  events: [number, number][];
  /** Whole hours, as [first hour start, end) (exclusive end), outside whole days. */
  hours: [number, number][];
  /** Whole days as [first day start, end), or null. */
  days: [number, number] | null;
}

const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;
const ceilTo = (t: number, unit: number) => Math.ceil(t / unit) * unit;

/**
 * Splits the inclusive range [from, to] into events, hours and days (every ms in
 * exactly one part); with `days: false`, into events and hours only (for
 * answers grouped finer than a day).
 */
export function splitRange(from: number, to: number, { days = true }: { days?: boolean } = {}): RangeParts {
  const end = to + 1;
  const firstHour = ceilTo(from, HOUR);
  const lastHour = floorTo(end, HOUR);
  if (firstHour >= lastHour) return { events: from < end ? [[from, end]] : [], hours: [], days: null };
  const events: [number, number][] = [];
  if (from < firstHour) events.push([from, firstHour]);
  if (lastHour < end) events.push([lastHour, end]);
  const firstDay = ceilTo(firstHour, DAY);
  const lastDay = floorTo(lastHour, DAY);
  if (!days || firstDay >= lastDay) return { events, hours: [[firstHour, lastHour]], days: null };
  const hours: [number, number][] = [];
  if (firstHour < firstDay) hours.push([firstHour, firstDay]);
  if (lastDay < lastHour) hours.push([lastDay, lastHour]);
  return { events, hours, days: [firstDay, lastDay] };
}

export const hourOf = (t: number) => floorTo(t, HOUR);
export const dayOf = (t: number) => floorTo(t, DAY);
