import { deflateRawSync } from 'node:zlib';
import { type ValidEvent, validateEvent } from '@mcptrail/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BLOCK_EVENTS,
  type BodyParts,
  bodySource,
  decodeBody,
  encodeBody,
  encodeEvents,
  type EventBody,
  unpackBlock,
} from './event-body.js';

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

const valid = (i: number, user: string | null, fields: Partial<EventBody> = {}): ValidEvent => {
  const result = validateEvent({
    id: `e${i}`,
    timestamp: 1_700_000_000_000 + i,
    method: 'tools/call',
    target: 'search',
    ...(user === null ? {} : { user: { id: user, name: `User ${user}` } }),
    server: { name: 'acme-tools', version: '3.2.0' },
    arguments: { query: `invoices for customer ${i}`, limit: 20 },
    result: { content: [{ type: 'text', text: `Found ${i % 13} invoices for customer ${i}.` }] },
  });
  if (!result.ok) throw new Error(result.reason);
  return { ...result.event, ...fields };
};

/** Reads encoded events back as a store does: each body from its block. */
function readBack(encoded: ReturnType<typeof encodeEvents>): EventBody[] {
  const blocks = new Map(encoded.blocks.map((b) => [Buffer.from(b.key).toString('hex'), unpackBlock(b.bytes)]));
  const parts: BodyParts = {
    dictionary: () => {
      throw new Error('no dictionary expected');
    },
    block: (key) => blocks.get(key)!,
  };
  return encoded.events.map((event) => decodeBody(event.body, parts));
}

const bodyOf = (event: ValidEvent): EventBody => ({
  userName: event.userName,
  userData: event.userData,
  serverName: event.serverName,
  serverVersion: event.serverVersion,
  transport: event.transport,
  errorStack: event.errorStack,
  arguments: event.arguments,
  result: event.result,
  tags: event.tags,
  properties: event.properties,
});

describe('event bodies', () => {
  it('give back every field of every event exactly, nulls and empty strings apart, in the order sent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(body, fc.option(fc.constantFrom('ada', 'bob', 'cy'), { nil: null })), { maxLength: 150 }),
        (sent) => {
          const events = sent.map(([fields, user], i) => valid(i, user, fields));
          const encoded = encodeEvents(events);
          expect(encoded.events.map((e) => e.id)).toEqual(events.map((e) => e.id));
          expect(readBack(encoded)).toEqual(events.map(bodyOf));
        },
      ),
      { numRuns: 100 },
    );
  });

  it(`go in blocks of at most ${BLOCK_EVENTS} events, a session's events together, keyed by their bytes`, () => {
    const events = Array.from({ length: 200 }, (_, i) => valid(i, i % 2 ? 'ada' : 'bob'));
    const encoded = encodeEvents(events);
    expect(encoded.blocks.map((b) => unpackBlock(b.bytes).length)).toEqual([128, 72]);
    const blockOf = (id: string) =>
      (bodySource(encoded.events.find((e) => e.id === id)!.body) as { block: string }).block;
    // Ada's events (odd) are together whatever their place in the request: one block, shared with some of Bob's.
    const adas = new Set(events.filter((_, i) => i % 2).map((e) => blockOf(e.id)));
    const bobs = new Set(events.filter((_, i) => i % 2 === 0).map((e) => blockOf(e.id)));
    expect([adas.size, bobs.size, [...adas].filter((key) => bobs.has(key)).length]).toEqual([1, 2, 1]);
    // The same request encoded again (a resend) gives the same keys; other content, other keys.
    expect(encodeEvents(events).blocks.map((b) => b.key)).toEqual(encoded.blocks.map((b) => b.key));
    const other = encodeEvents(events.map((e, i) => (i === 0 ? valid(0, 'bob', { result: 'changed' }) : e)));
    expect(other.blocks.filter((b, i) => !Buffer.from(b.key).equals(encoded.blocks[i]!.key)).length).toBe(1);
  });

  it('compress a request’s events to less than a third of their text', () => {
    const events = Array.from({ length: 500 }, (_, i) => valid(i, `u${i % 40}`));
    const plain = events.reduce((sum, e) => sum + JSON.stringify(bodyOf(e)).length, 0);
    const { events: encoded, blocks } = encodeEvents(events);
    const stored = blocks.reduce((sum, b) => sum + b.bytes.length + b.key.length, 0);
    expect(stored + encoded.reduce((sum, e) => sum + e.body.length, 0)).toBeLessThan(plain / 3);
  });

  it('read bodies stored alone, with or without a legacy dictionary, and fail plainly when cut short', () => {
    const dictionary = new TextEncoder().encode('{"content":[{"type":"text","text":"');
    fc.assert(
      fc.property(body, (original) => {
        const alone = encodeBody(original);
        expect(bodySource(alone)).toBeNull();
        expect(decodeBody(alone, { dictionary: () => dictionary, block: () => [] })).toEqual(original);
      }),
      { numRuns: 200 },
    );
    // Migration 0006's layout with a dictionary: codec 2, the dictionary id as a varint, raw deflate.
    const original = bodyOf(valid(1, 'ada'));
    const plainBody = encodeBody({ ...original, arguments: null, result: null });
    expect(plainBody[0]).toBe(0);
    const framed = plainBody.subarray(1);
    const withDictionary = Uint8Array.from([2, 7, ...deflateRawSync(framed, { dictionary })]);
    expect(bodySource(withDictionary)).toEqual({ dictionary: 7 });
    expect(
      decodeBody(withDictionary, { dictionary: (id) => (id === 7 ? dictionary : new Uint8Array()), block: () => [] }),
    ).toEqual({
      ...original,
      arguments: null,
      result: null,
    });
    expect(() => decodeBody(withDictionary.subarray(0, 3), { dictionary: () => dictionary, block: () => [] })).toThrow(
      /truncated|unexpected end|invalid/i,
    );
    const { events, blocks } = encodeEvents([valid(1, 'ada')]);
    expect(() => unpackBlock(blocks[0]!.bytes.subarray(0, 5))).toThrow(/truncated|unexpected end|invalid/i);
    expect(() => decodeBody(events[0]!.body, { dictionary: () => dictionary, block: () => [] })).toThrow(/fewer/);
  });
});
