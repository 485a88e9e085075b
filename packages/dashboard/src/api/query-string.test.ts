import { describe, expect, it } from 'vitest';
import { queryString } from './query-string';

describe('queryString', () => {
  it('leaves out empty values and encodes the rest', () => {
    expect(queryString({ user: 'a b&c', client: '', kind: null, limit: 20, hasError: false, cursor: undefined })).toBe(
      '?user=a+b%26c&limit=20&hasError=false',
    );
  });
  it('is empty when nothing is set', () => {
    expect(queryString({ a: undefined, b: '' })).toBe('');
  });
});
