import { describe, expect, it } from 'vitest';
import { encodeBatch } from './batch-body.js';

describe('encodeBatch', () => {
  it('writes the same bytes as encoding the joined text, whatever the characters', () => {
    const items = ['{"a":"plain"}', '{"b":"ünï©ødé"}', '{"c":"🚀 \\u2028 中文"}', '{}'];
    const head = '{"events":[';
    const tail = '],"sdk":{"name":"mcptrail"}}';
    const chars = items.reduce((n, item) => n + item.length, 0);
    const bytes = encodeBatch(head, items, tail, chars);
    const text = `${head}${items.join(',')}${tail}`;
    expect(Buffer.from(bytes).equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(JSON.parse(new TextDecoder().decode(bytes)).events).toHaveLength(4);
  });

  it('grows when a wide character comes late, keeping what it wrote', () => {
    const items = Array.from({ length: 50 }, (_, i) => `{"n":${i}}`);
    items.push('{"last":"ëëë🚀"}');
    const chars = items.reduce((n, item) => n + item.length, 0);
    expect(new TextDecoder().decode(encodeBatch('[', items, ']', chars))).toBe(`[${items.join(',')}]`);
  });

  it('keeps every comma when wide characters fill the buffer exactly', () => {
    // Six é take 6 more bytes than units: all the room sized for the rest, so the buffer is full where the comma goes.
    expect(new TextDecoder().decode(encodeBatch('[', ['"éééééé"', '"a"'], ']', 11))).toBe('["éééééé","a"]');
  });

  it('matches encoding the joined text for random mixes of narrow and wide characters', () => {
    const alphabet = ['a', 'Z', '"', '\\', 'é', 'ü', '中', '🚀', '\u2028'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 300; round++) {
      const items = Array.from({ length: 1 + Math.floor(next() * 20) }, () =>
        JSON.stringify(Array.from({ length: Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('')),
      );
      const chars = items.reduce((n, item) => n + item.length, 0);
      const bytes = encodeBatch('{"events":[', items, ']}', chars);
      expect(Buffer.from(bytes).equals(Buffer.from(`{"events":[${items.join(',')}]}`, 'utf8'))).toBe(true);
    }
  });

  it('writes a batch of no events', () => {
    expect(new TextDecoder().decode(encodeBatch('{"events":[', [], ']}', 0))).toBe('{"events":[]}');
  });
});
