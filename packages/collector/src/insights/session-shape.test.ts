import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketIndex, DURATION_BUCKETS_MS, REQUEST_BUCKETS, sessionShape } from './session-shape.js';

describe('session shape buckets', () => {
  it('puts every value in the bucket whose bounds hold it', () => {
    for (const bounds of [REQUEST_BUCKETS, DURATION_BUCKETS_MS]) {
      fc.assert(
        fc.property(fc.integer({ min: bounds[0]!, max: bounds.at(-1)! * 3 }), (value) => {
          const index = bucketIndex(bounds, value);
          expect(value).toBeGreaterThanOrEqual(bounds[index]!);
          if (index + 1 < bounds.length) expect(value).toBeLessThan(bounds[index + 1]!);
        }),
      );
    }
    expect([1, 2, 3, 5, 6, 10, 11, 101, 5000].map((n) => bucketIndex(REQUEST_BUCKETS, n))).toEqual([
      0, 1, 2, 2, 3, 3, 4, 7, 7,
    ]);
  });

  it('adds counts per client and for all, most sessions first', () => {
    const shape = sessionShape(
      [
        { clientName: 'zed', requestBucket: 0, durationBucket: 0, sessions: 1 },
        { clientName: 'goose', requestBucket: 2, durationBucket: 3, sessions: 2 },
        { clientName: 'goose', requestBucket: 0, durationBucket: 1, sessions: 1 },
      ],
      5,
    );
    expect(shape.anonymousSessions).toBe(5);
    expect(shape.all).toEqual({
      clientName: null,
      sessions: 4,
      requests: [2, 0, 2, 0, 0, 0, 0, 0],
      durations: [1, 1, 0, 2, 0, 0, 0, 0],
    });
    expect(shape.clients.map((c) => [c.clientName, c.sessions])).toEqual([
      ['goose', 3],
      ['zed', 1],
    ]);
  });
});
