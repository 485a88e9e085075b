import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeSlices } from './insight-queries.js';

describe('timeSlices', () => {
  it('covers an inclusive range exactly once, in order, in at most `count` slices', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2e12 }),
        fc.integer({ min: 0, max: 1e10 }),
        fc.integer({ min: 1, max: 8 }),
        (from, length, count) => {
          const slices = timeSlices({ from, to: from + length }, count);
          expect(slices.length).toBeLessThanOrEqual(count);
          expect(slices[0]!.from).toBe(from);
          expect(slices.at(-1)!.to).toBe(from + length);
          for (const [i, slice] of slices.entries()) {
            expect(slice.from).toBeLessThanOrEqual(slice.to);
            if (i > 0) expect(slice.from).toBe(slices[i - 1]!.to + 1);
          }
        },
      ),
    );
  });
});
