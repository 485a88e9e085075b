import { describe, expect, it } from 'vitest';
import { encodeBatch, EventEncoder } from './batch-body.js';

/** Encodes `items` the way the processor queues them, then builds the body. */
function body(items: readonly string[], head = '{"events":[', tail = '],"sdk":{"name":"mcptrail"}}'): Buffer {
  const encoder = new EventEncoder();
  const bytes = items.map((item) => encoder.encode(item));
  return Buffer.from(
    encodeBatch(
      head,
      bytes,
      tail,
      bytes.reduce((n, b) => n + b.length, 0),
    ),
  );
}

describe('EventEncoder and encodeBatch', () => {
  it('write the same bytes as encoding the joined text, whatever the characters', () => {
    const items = ['{"a":"plain"}', '{"b":"ünï©ødé"}', '{"c":"🚀 \\u2028 中文"}', '{}'];
    expect(body(items).equals(Buffer.from(`{"events":[${items.join(',')}],"sdk":{"name":"mcptrail"}}`))).toBe(true);
  });

  it('match the joined text for random mixes of narrow and wide characters, across slabs, huge events', () => {
    const alphabet = ['a', 'Z', '"', '\\\\', 'é', 'ü', '中', '🚀', '\\u2028'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const items = Array.from({ length: 1 + Math.floor(next() * 40) }, () => {
        const length = next() < 0.05 ? 10_000 + Math.floor(next() * 20_000) : Math.floor(next() * 400);
        return JSON.stringify(Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
      });
      expect(body(items, '[', ']').equals(Buffer.from(`[${items.join(',')}]`))).toBe(true);
    }
  });

  it('keep earlier events intact when later ones fill and replace the slab', () => {
    const encoder = new EventEncoder();
    const first = encoder.encode('"first"');
    const rest = Array.from({ length: 2000 }, (_, i) =>
      encoder.encode(JSON.stringify(`event ${i} ${'x'.repeat(100)}`)),
    );
    expect(new TextDecoder().decode(first)).toBe('"first"');
    expect(new TextDecoder().decode(rest[1999])).toBe(JSON.stringify(`event 1999 ${'x'.repeat(100)}`));
  });

  it('write a batch of no events', () => {
    expect(new TextDecoder().decode(encodeBatch('{"events":[', [], ']}', 0))).toBe('{"events":[]}');
  });
});
