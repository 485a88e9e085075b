import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyDictionaryId, decodeBody, encodeBody, type EventBody, trainDictionary } from './event-body.js';

const text = fc.option(fc.string({ unit: 'binary', maxLength: 400 }), { nil: null });
const body: fc.Arbitrary<EventBody> = fc.record({
  userName: text,
  userData: text,
  serverName: text,
  serverVersion: text,
  transport: text,
  errorStack: text,
  arguments: text,
  result: text,
  tags: text,
  properties: text,
});

const toolResult = (i: number): EventBody => ({
  userName: `User ${i % 7}`,
  userData: null,
  serverName: 'acme-tools',
  serverVersion: '3.2.0',
  transport: 'streamable-http',
  errorStack: null,
  arguments: JSON.stringify({ query: `invoices for customer ${i}`, limit: 20 }),
  result: JSON.stringify({
    content: [
      {
        type: 'text',
        text: `Found ${i % 13} invoices for customer ${i}; the newest is pending review by the account owner.`,
      },
    ],
  }),
  tags: null,
  properties: null,
});

describe('event bodies', () => {
  it('give back every field exactly, nulls and empty strings apart, with or without a dictionary', () => {
    const dictionary = { id: 300, bytes: new TextEncoder().encode('{"content":[{"type":"text","text":"') };
    fc.assert(
      fc.property(body, fc.boolean(), (original, withDictionary) => {
        const stored = encodeBody(original, withDictionary ? dictionary : null);
        expect(decodeBody(stored, (id) => (id === dictionary.id ? dictionary.bytes : new Uint8Array()))).toEqual(
          original,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('say which dictionary they need, and fail plainly when cut short', () => {
    const samples = Array.from({ length: 200 }, (_, i) => ({ kind: 'tools/call search', body: toolResult(i) }));
    const dictionary = { id: 7, bytes: trainDictionary(samples) };
    const stored = encodeBody(toolResult(1_000), dictionary);
    expect(bodyDictionaryId(stored)).toBe(7);
    expect(bodyDictionaryId(encodeBody(toolResult(1_000), null))).toBeNull();
    expect(() => decodeBody(stored.subarray(0, 2), () => dictionary.bytes)).toThrow(
      /truncated|unexpected end|invalid/i,
    );
  });

  it('are smaller with a dictionary trained on the project’s own bodies', () => {
    const samples = Array.from({ length: 500 }, (_, i) => ({
      kind: i % 3 ? 'tools/call search' : 'tools/call get',
      body: toolResult(i),
    }));
    const dictionary = { id: 1, bytes: trainDictionary(samples) };
    const size = (d: typeof dictionary | null) =>
      Array.from({ length: 100 }, (_, i) => encodeBody(toolResult(10_000 + i), d).length).reduce((a, b) => a + b);
    const plain = Array.from({ length: 100 }, (_, i) => Object.values(toolResult(10_000 + i)).join('').length).reduce(
      (a, b) => a + b,
    );
    expect(size(null)).toBeLessThan(plain);
    expect(size(dictionary)).toBeLessThan(size(null) * 0.6);
  });
});
