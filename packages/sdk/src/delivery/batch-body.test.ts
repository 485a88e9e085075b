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

  it('writes a batch of no events', () => {
    expect(new TextDecoder().decode(encodeBatch('{"events":[', [], ']}', 0))).toBe('{"events":[]}');
  });
});
