import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemas, LIMITS, validateEvent, type ValidEvent } from './index.js';

/** Pins what docs/api.md promises senders. Changing these breaks deployed SDKs. */
describe('wire contract pins', () => {
  const base = { id: 'e1', timestamp: '2026-11-20T10:00:00Z', method: 'tools/call' };

  it('needs only id, timestamp and method', () => {
    const result = validateEvent(base);
    expect(result).toEqual({
      ok: true,
      event: expect.objectContaining({
        id: 'e1',
        timestamp: Date.parse(base.timestamp),
        method: 'tools/call',
        isError: false,
        transportSessionId: null,
        userId: null,
      }),
    });
  });

  it('reads every documented field', () => {
    const result = validateEvent({
      ...base,
      timestamp: 1795500000000,
      durationMs: 12.5,
      target: 'search',
      sessionId: 'tx',
      user: { id: 'u', name: 'Ann', data: { plan: 'pro' } },
      client: { name: 'claude-ai', version: '0.14', source: 'userAgent' },
      clientFingerprint: 'k3MFn2x0aQpLr8Tz',
      conversationId: 'c0nv3rs4t10n1d00',
      server: { name: 'srv', version: '1' },
      protocolVersion: '2026-07-28',
      transport: 'streamable-http',
      isError: true,
      error: { type: 'ToolError', message: 'boom', code: -32000, stack: 'at x' },
      arguments: { q: 1 },
      result: { content: [] },
      tags: { region: 'eu' },
      properties: { plan: 'pro' },
      somethingNew: 'ignored',
    });
    if (!result.ok) throw new Error(result.reason);
    const expected: ValidEvent = {
      id: 'e1',
      timestamp: 1795500000000,
      durationMs: 12.5,
      method: 'tools/call',
      target: 'search',
      transportSessionId: 'tx',
      userId: 'u',
      userName: 'Ann',
      userData: '{"plan":"pro"}',
      clientName: 'claude-ai',
      clientVersion: '0.14',
      clientSource: 'userAgent',
      clientFingerprint: 'k3MFn2x0aQpLr8Tz',
      conversationId: 'c0nv3rs4t10n1d00',
      serverName: 'srv',
      serverVersion: '1',
      protocolVersion: '2026-07-28',
      transport: 'streamable-http',
      isError: true,
      errorType: 'ToolError',
      errorMessage: 'boom',
      errorCode: '-32000',
      errorStack: 'at x',
      arguments: '{"q":1}',
      result: '{"content":[]}',
      tags: '{"region":"eu"}',
      properties: '{"plan":"pro"}',
    };
    expect(result.event).toEqual(expected);
  });

  it('reads an absent or unknown client source as clientInfo, and no source without a client', () => {
    const source = (client: unknown) => {
      const result = validateEvent({ ...base, client });
      return result.ok ? result.event.clientSource : result.reason;
    };
    expect(source({ name: 'a' })).toBe('clientInfo');
    expect(source({ name: 'a', source: 'header' })).toBe('header');
    expect(source({ name: 'a', source: 'a-source-from-the-future' })).toBe('clientInfo');
    expect(source(null)).toBeNull();
  });

  it('treats null as absent', () => {
    const result = validateEvent({
      ...base,
      target: null,
      user: null,
      client: null,
      error: null,
      isError: null,
      sessionId: null,
      tags: null,
    });
    expect(result.ok).toBe(true);
  });

  it('pins the limits', () => {
    expect(LIMITS).toMatchObject({
      maxEventsPerBatch: 1000,
      maxBodyBytes: 5 * 1024 * 1024,
      maxFutureSkewMs: 86_400_000,
      maxDepth: 32,
      maxTags: 64,
      maxPayloadBytes: 262_144,
    });
  });

  it('names the offending field in rejections', () => {
    expect(validateEvent({ ...base, timestamp: 'soon' })).toEqual({
      ok: false,
      reason: 'timestamp: not an RFC 3339 timestamp or epoch milliseconds',
    });
    expect(validateEvent({ id: 'x', timestamp: 1795500000000 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^method: /),
    });
    expect(validateEvent({ ...base, arguments: JSON.parse('{"a":{"__proto__":{"x":1}}}') })).toEqual({
      ok: false,
      reason: 'arguments: forbidden key "__proto__"',
    });
  });

  it('publishes the schema as JSON Schema, up to date (else: npm run schema -w @mcptrail/protocol)', () => {
    for (const [file, schema] of Object.entries(jsonSchemas())) {
      const published: unknown = JSON.parse(readFileSync(new URL(`../schema/${file}`, import.meta.url), 'utf8'));
      expect(published, file).toEqual(schema);
    }
  });
});
