import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sensitiveKeyTest } from './redact.js';
import {
  base64Bytes,
  DEFAULT_MAX_PAYLOAD_BYTES,
  sanitize,
  WIRE_MAX_DEPTH,
  WIRE_MAX_PAYLOAD_BYTES,
} from './truncate.js';

const options = { isSensitive: sensitiveKeyTest(), maxBytes: DEFAULT_MAX_PAYLOAD_BYTES };

describe('sanitize', () => {
  it('redacts values under sensitive keys at any depth, keeping look-alikes', () => {
    const out = sanitize(
      {
        user: 'ada',
        password: 'p',
        nested: [
          { apiKey: 'k', 'X-Api-Key': 'k', accessToken: 't', maxTokens: 5, cookie: 'c', Authorization: 'Bearer x' },
        ],
      },
      options,
    );
    expect(out).toEqual({
      user: 'ada',
      password: '[redacted]',
      nested: [
        {
          apiKey: '[redacted]',
          'X-Api-Key': '[redacted]',
          accessToken: '[redacted]',
          maxTokens: 5,
          cookie: '[redacted]',
          Authorization: '[redacted]',
        },
      ],
    });
  });

  it('takes extra sensitive keys', () => {
    expect(sanitize({ ssn2: 1, email: 'a@b' }, { ...options, isSensitive: sensitiveKeyTest(['email']) })).toEqual({
      ssn2: 1,
      email: '[redacted]',
    });
  });

  it('replaces image and audio content and blob resources with a stub of type and size', () => {
    const data = Buffer.alloc(3000, 7).toString('base64');
    expect(
      sanitize(
        {
          content: [
            { type: 'image', data, mimeType: 'image/png' },
            { type: 'audio', data, mimeType: 'audio/wav' },
            { type: 'text', text: 'hi' },
          ],
        },
        options,
      ),
    ).toEqual({
      content: [
        { type: 'image', mimeType: 'image/png', omitted: 'binary', bytes: 3000 },
        { type: 'audio', mimeType: 'audio/wav', omitted: 'binary', bytes: 3000 },
        { type: 'text', text: 'hi' },
      ],
    });
    expect(sanitize({ contents: [{ uri: 'file:///a.bin', blob: data }] }, options)).toEqual({
      contents: [{ uri: 'file:///a.bin', mimeType: null, omitted: 'binary', bytes: 3000 }],
    });
    expect(base64Bytes(Buffer.from('ab').toString('base64'))).toBe(2);
  });

  it('drops keys that could reach a prototype, survives cycles, clips depth', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(sanitize(cyclic, options)).toEqual({ a: 1, self: '[circular]' });
    expect(sanitize(JSON.parse('{"__proto__":{"x":1},"constructor":2,"ok":3}'), options)).toEqual({ ok: 3 });
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(JSON.stringify(sanitize(deep, options))).toContain('[max depth]');
  });

  it('caps the whole payload', () => {
    const big = { rows: Array.from({ length: 150 }, (_, i) => ({ i, text: 'x'.repeat(1000) })) };
    const out = sanitize(big, options) as { truncated: boolean; limitBytes: number; preview: string };
    expect(out.truncated).toBe(true);
    expect(out.limitBytes).toBe(DEFAULT_MAX_PAYLOAD_BYTES);
    expect(JSON.stringify(out).length).toBeLessThan(DEFAULT_MAX_PAYLOAD_BYTES);
  });

  it('shares a clean value only when asked, and equals the copy either way (property)', () => {
    const clean = { content: [{ type: 'text', text: 'hi' }], n: 1, ok: true, none: null };
    expect(sanitize(clean, { ...options, shareClean: true })).toBe(clean);
    expect(sanitize(clean, options)).not.toBe(clean);
    expect(sanitize({ token: 'x' }, { ...options, shareClean: true })).toEqual({ token: '[redacted]' });
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 15 }), (value) => {
        expect(JSON.stringify(sanitize(value, { ...options, shareClean: true }))).toBe(
          JSON.stringify(sanitize(value, options)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('always yields JSON within the wire limits (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 40 }), fc.integer({ min: 256, max: 64 * 1024 }), (value, maxBytes) => {
        const out = sanitize(value, { ...options, maxBytes });
        const text = JSON.stringify(out) ?? 'null';
        expect(text.length).toBeLessThanOrEqual(Math.max(maxBytes, 1200));
        expect(text.length).toBeLessThanOrEqual(WIRE_MAX_PAYLOAD_BYTES);
        let depth = 0;
        let max = 0;
        for (const ch of text) {
          if (ch === '{' || ch === '[') max = Math.max(max, ++depth);
          if (ch === '}' || ch === ']') depth--;
        }
        expect(max).toBeLessThanOrEqual(WIRE_MAX_DEPTH);
      }),
      { numRuns: 200 },
    );
  });
});
