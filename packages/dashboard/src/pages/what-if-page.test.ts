import { describe, expect, it } from 'vitest';
import { bucketLabel } from './what-if-page';

describe('what-if page', () => {
  it('names histogram buckets', () => {
    expect(bucketLabel({ from: 1, to: 2, sessions: 0 }, 'calls')).toBe('1');
    expect(bucketLabel({ from: 3, to: 6, sessions: 0 }, 'calls')).toBe('3–5');
    expect(bucketLabel({ from: 101, to: null, sessions: 0 }, 'calls')).toBe('101+');
    expect(bucketLabel({ from: 0, to: 1, sessions: 0 }, 'ms')).toBe('instant');
    expect(bucketLabel({ from: 1, to: 60_000, sessions: 0 }, 'ms')).toBe('< 1m');
    expect(bucketLabel({ from: 1_800_000, to: 3_600_000, sessions: 0 }, 'ms')).toBe('30m–1h');
    expect(bucketLabel({ from: 21_600_000, to: null, sessions: 0 }, 'ms')).toBe('6h+');
  });
});
