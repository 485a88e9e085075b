import { expect } from 'vitest';
import { RELATIVE_ACCURACY } from '../src/rollups/latency-sketch.js';

/**
 * Quantiles come from a DDSketch: the answer is the exact nearest-rank value
 * to within its relative accuracy (a bucket's value may sit either side).
 */
expect.extend({
  toBeWithinSketchAccuracyOf(received: unknown, expected: number) {
    const pass =
      typeof received === 'number' && Math.abs(received - expected) <= expected * RELATIVE_ACCURACY * 1.000001;
    return {
      pass,
      message: () =>
        `expected ${String(received)} ${pass ? 'not ' : ''}to be within ${RELATIVE_ACCURACY * 100}% of ${expected}`,
    };
  },
});

declare module 'vitest' {
  interface Assertion {
    toBeWithinSketchAccuracyOf(expected: number): void;
  }
}
