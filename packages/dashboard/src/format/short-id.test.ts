import { describe, expect, it } from 'vitest';
import { shortId } from './short-id';

describe('shortId', () => {
  it('keeps short ids whole', () => expect(shortId('ses_abc')).toBe('ses_abc'));
  it('keeps the prefix and the distinguishing tail', () => {
    expect(shortId('ses_0mwu4duha4a16446a9964e5')).toBe('ses_…446a9964e5');
    expect(shortId('evt_0123456789abcdefghij')).toBe('…abcdefghij');
  });
});
