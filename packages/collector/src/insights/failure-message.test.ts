import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PATTERN_LENGTH, normaliseMessage } from './failure-message.js';

describe('normaliseMessage', () => {
  it.each([
    ['upstream timed out after 30000ms', 'upstream timed out after <n>ms'],
    ['rate limit exceeded (429)', 'rate limit exceeded (<n>)'],
    ['resource /v1/items/4821 not found', 'resource <path> not found'],
    ['invalid cursor "eyJpZCI6MTIzfQ"', 'invalid cursor "<value>"'],
    ["no file named 'report.pdf' and can't retry", "no file named '<value>' and can't retry"],
    ['session 3f2a1c9e-8b7d-4e6f-a1b2-c3d4e5f60718 expired', 'session <uuid> expired'],
    ['user ann.lee+test@example.co.uk is not a member', 'user <email> is not a member'],
    ['GET https://api.example.com/v2/items?id=7 failed: 502', 'GET <url> failed: <n>'],
    ['commit 9fceb02d0ae598e95dc970b74767f19372d61af8 missing', 'commit <id> missing'],
    ['request req_8f3k2j9x failed', 'request <id> failed'],
    ['bad address 0x1f', 'bad address <hex>'],
    ['C:\\Users\\ann\\notes.txt is locked', '<path> is locked'],
    ['read ./data/users.csv: permission denied', 'read <path>: permission denied'],
    ['Tool search_v2 not found', 'Tool search_v2 not found'],
    ['  spaced \n  out\tmessage ', 'spaced out message'],
  ])('%s', (message, pattern) => {
    expect(normaliseMessage(message)).toBe(pattern);
  });

  it('cuts long messages', () => {
    const pattern = normaliseMessage('word '.repeat(5_000));
    expect(pattern).toHaveLength(MAX_PATTERN_LENGTH);
    expect(pattern.endsWith('…')).toBe(true);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300, unit: 'binary' }),
        (message) => normaliseMessage(normaliseMessage(message)) === normaliseMessage(message),
      ),
      { numRuns: 2_000 },
    );
  });

  /** A message template: plain words with holes that values of one kind fill. */
  const word = fc.stringMatching(/^[a-z]{1,10}$/).filter((w) => !/^(?:x|0x)$/.test(w));
  const value = fc.oneof(
    fc.nat().map(String),
    fc.uuid(),
    fc.stringMatching(/^[a-z][a-z0-9.]{0,8}@[a-z]{2,8}\.[a-z]{2,4}$/),
    fc.stringMatching(/^https?:\/\/[a-z]{2,10}\.[a-z]{2,4}(?:\/[a-z0-9]{1,8}){0,3}$/),
    fc.stringMatching(/^\/[a-z0-9]{1,8}(?:\/[a-z0-9]{1,8}){0,3}$/),
    fc.stringMatching(/^[A-Za-z0-9 ]{0,20}$/).map((v) => `"${v}"`),
    // Hex ids as the rules mask them: two digits or more (one digit among letters reads as a word).
    fc.stringMatching(/^[0-9a-f]{12,40}$/).filter((v) => /\d.*\d/.test(v) && /[a-f]/.test(v)),
  );
  const template = fc.array(fc.oneof(word, fc.constant(null)), { minLength: 1, maxLength: 12 });

  it('gives messages that differ only in their values one pattern', () => {
    fc.assert(
      fc.property(template, fc.infiniteStream(value), fc.infiniteStream(value), (parts, first, second) => {
        const fill = (values: IterableIterator<string>) => parts.map((part) => part ?? values.next().value).join(' ');
        // Each hole holds a value of the same kind in both messages: equal patterns only for equal kinds.
        const kinds = parts.filter((part) => part === null).length;
        const a = [...Array(kinds)].map(() => first.next().value as string);
        const b = a.map((v) => sameKind(v, second));
        expect(normaliseMessage(fill(a.values()))).toBe(normaliseMessage(fill(b.values())));
      }),
      { numRuns: 500 },
    );
  });
});

/** Another value of `v`'s kind: digits for digits, letters for letters, so the masks that apply are the same. */
function sameKind(v: string, _unused: IterableIterator<string>): string {
  return v
    .replace(/\d/g, (d) => String((Number(d) + 7) % 10))
    .replace(/[a-f]/g, (c) => 'abcdef'[(c.charCodeAt(0) - 96) % 6]!);
}
