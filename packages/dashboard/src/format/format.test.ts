import { describe, expect, it } from 'vitest';
import { formatDuration, formatOffset, formatWholeDuration } from './format-duration';
import { formatCount, formatPercent } from './format-number';
import { describeInstant, formatBucket, formatDateTime, formatIso, timeZoneLabel } from './format-time';
import { formatTrend } from './format-trend';

describe('formatDuration', () => {
  it.each([
    [null, '—'],
    [0.42, '0.4 ms'],
    [340.4, '340 ms'],
    [1250, '1.25 s'],
    [12_345, '12.3 s'],
    [125_000, '2m 05s'],
    [3_720_000, '1h 02m'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d 4h'],
  ])('%s → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
  it('marks offsets', () => {
    expect(formatOffset(1250)).toBe('+1.25 s');
    expect(formatOffset(-5)).toBe('+0 ms');
  });
  it('leaves out the zero part of whole minutes and hours', () => {
    expect([60_000, 30 * 60_000, 3_600_000, 5_400_000, 90_000].map(formatWholeDuration)).toEqual([
      '1m',
      '30m',
      '1h',
      '1h 30m',
      '1m 30s',
    ]);
  });
});

describe('numbers', () => {
  it('groups thousands', () => expect(formatCount(12345)).toBe('12,345'));
  it('prints ratios as percentages', () => {
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.004)).toBe('0.4%');
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(null)).toBe('—');
  });
});

describe('time', () => {
  const inNov2026 = Date.parse('2026-11-30T12:00:00Z');
  it('keeps garbage visible instead of throwing', () => {
    expect(formatDateTime('not a date')).toBe('not a date');
    expect(formatIso('not a date')).toBeUndefined();
    expect(describeInstant('not a date')).toBeUndefined();
  });
  it('formats real instants, with the year only when it is not the current one', () => {
    expect(formatIso(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(formatDateTime('2026-11-24T10:02:03Z', inNov2026)).toMatch(/^Nov 2[345], \d\d:02:03$/);
    expect(formatDateTime('2025-11-24T10:02:03Z', inNov2026)).toMatch(/^Nov 2[345], 2025, \d\d:02:03$/);
    expect(formatBucket('2026-11-24T10:00:00Z', 86_400_000, inNov2026)).toMatch(/^Nov 2[345]$/);
    expect(formatBucket('2024-11-24T10:00:00Z', 86_400_000, inNov2026)).toMatch(/^Nov 2[345], 2024$/);
    expect(formatBucket('2024-11-24T10:00:00Z', 3_600_000, inNov2026)).toMatch(/^Nov 2[345], 2024, \d\d$/);
  });
  it('names the time zone on hover and once per page', () => {
    const hover = describeInstant('2026-11-24T10:02:03Z')!;
    expect(hover).toMatch(/^\w{3}, Nov 2[345], 2026, \d\d:02:03 \S+ · 2026-11-24T10:02:03\.000Z$/);
    expect(timeZoneLabel()).toContain(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});

describe('formatTrend', () => {
  it.each([
    [0, 0, { text: '0%', direction: 'flat' }],
    [5, 0, { text: 'new', direction: 'up' }],
    [123, 100, { text: '↑ 23%', direction: 'up' }],
    [60, 100, { text: '↓ 40%', direction: 'down' }],
    [0, 4, { text: '↓ 100%', direction: 'down' }],
    [1001, 1000, { text: '0%', direction: 'flat' }],
  ])('%s after %s', (current, previous, expected) => {
    expect(formatTrend(current, previous)).toEqual(expected);
  });
});
