import { describe, expect, it } from 'vitest';
import { fillBuckets } from './fill-buckets';

const H = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const row = (ms: number, events: number) => ({ bucket: iso(ms), events });
const empty = (bucket: string) => ({ bucket, events: 0 });
const base = Date.UTC(2026, 10, 24, 0);

describe('fillBuckets', () => {
  it('fills gaps across the queried range, on the collector grid', () => {
    const rows = [row(base + 2 * H, 5), row(base + 5 * H, 1)];
    const filled = fillBuckets(rows, H, { from: base + 30 * 60_000, to: base + 6 * H + 10 }, empty);
    expect(filled.map((r) => r.bucket)).toEqual([0, 1, 2, 3, 4, 5, 6].map((h) => iso(base + h * H)));
    expect(filled.map((r) => r.events)).toEqual([0, 0, 5, 0, 0, 1, 0]);
  });

  it('spans first to last bucket when the range is unbounded', () => {
    const filled = fillBuckets([row(base, 1), row(base + 3 * H, 2)], H, {}, empty);
    expect(filled.map((r) => r.events)).toEqual([1, 0, 0, 2]);
  });

  it('leaves empty answers and absurd spans alone', () => {
    expect(fillBuckets([], H, { from: 0, to: base }, empty)).toEqual([]);
    const rows = [row(base, 1)];
    expect(fillBuckets(rows, 1, { from: 0, to: base }, empty)).toEqual(rows);
  });
});
