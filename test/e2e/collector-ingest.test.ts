import { gzipSync } from 'node:zlib';
import type { ProjectCreated, SessionListResponse, StatsResponse } from '@mcptrail/protocol';
import { LIMITS } from '@mcptrail/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type CollectorProcess } from '../support/collector.js';

const NOW = Date.now();
const ok = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  timestamp: NOW - 60_000,
  method: 'tools/call',
  target: 't',
  ...extra,
});

describe('POST /v1/events against a real collector', () => {
  let collector: CollectorProcess;
  let project: ProjectCreated;
  const send = (body: string | Buffer, headers: Record<string, string> = {}, key = project.writeKey) =>
    collector.fetch('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      body,
    });
  const eventCount = async () => (await collector.get<StatsResponse>(`/v1/stats?from=0`, project.readKey)).events;

  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(async () => {
    await collector.stop();
  });

  it('refuses malformed bodies, bad keys and oversize batches without storing anything', async () => {
    project = await collector.createProject('bad-input');
    const cases: [string | Buffer, number, string, Record<string, string>?, string?][] = [
      ['{"events": [', 400, 'invalid_json'],
      ['[]', 400, 'invalid_batch'],
      ['{"events": {}}', 400, 'invalid_batch'],
      ['{"events": [], "dropped": -1}', 400, 'invalid_batch'],
      ['{"events": [], "sender": {"id": "pod", "droppedTotal": -1}}', 400, 'invalid_batch'],
      ['{"events": [], "sender": {"id": "pod", "droppedTotal": 1e13}}', 400, 'invalid_batch'],
      ['{"events": [], "sender": {"id": "p\\u0000d", "droppedTotal": 1}}', 400, 'invalid_batch'],
      [JSON.stringify({ events: [ok('a')] }), 401, 'unauthorized', {}, 'mtw_not-a-key'],
      [
        JSON.stringify({ events: Array.from({ length: LIMITS.maxEventsPerBatch + 1 }, (_, i) => ok(`big${i}`)) }),
        413,
        'too_many_events',
      ],
      [
        JSON.stringify({ events: [ok('huge', { properties: { blob: 'x'.repeat(LIMITS.maxBodyBytes) } })] }),
        413,
        'payload_too_large',
      ],
      [
        gzipSync(JSON.stringify({ events: [ok('zip', { properties: { blob: 'x'.repeat(LIMITS.maxBodyBytes) } })] })),
        413,
        'payload_too_large',
        { 'content-encoding': 'gzip' },
      ],
      ['not gzip', 400, 'bad_encoding', { 'content-encoding': 'gzip' }],
      [JSON.stringify({ events: [ok('r')] }), 403, 'forbidden', {}, 'READ'],
    ];
    for (const [body, status, code, headers, key] of cases) {
      const res = await send(body, headers, key === 'READ' ? project.readKey : key);
      expect(res.status, `${code}`).toBe(status);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe(code);
      expect(json.error.message.length).toBeGreaterThan(5);
    }
    expect(await eventCount()).toBe(0);
  });

  it('accepts gzip and stores valid events while listing rejected ones', async () => {
    project = await collector.createProject('mixed');
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < LIMITS.maxDepth + 2; i++) cursor = (cursor.next = {}) as Record<string, unknown>;
    const events = [
      ok('good-1'),
      { id: 'no-method', timestamp: NOW },
      { id: 'bad-time', timestamp: 'yesterday', method: 'm' },
      ok('future', { timestamp: NOW + 25 * 3600_000 }),
      ok('wrong-type', { durationMs: 'slow' }),
      ok('long-method', { method: 'm'.repeat(LIMITS.maxNameLength + 1) }),
      ok('deep', { arguments: deep }),
      JSON.parse(`{"id":"proto","timestamp":${NOW},"method":"m","arguments":{"__proto__":{"isAdmin":true}}}`),
      ok('ctor', { properties: { constructor: { prototype: 1 } } }),
      ok('tags', { tags: Object.fromEntries(Array.from({ length: LIMITS.maxTags + 1 }, (_, i) => [`k${i}`, 'v'])) }),
      ok('tag-type', { tags: { a: 1 } }),
      JSON.parse(`{"id":"top-proto","timestamp":${NOW},"method":"m","__proto__":{"x":1}}`),
      ok('good-2', { isError: true, error: { message: 'boom', code: -32603 }, future: 'ignored' }),
      'not an object',
      ok('feb-30', { timestamp: '2024-02-30T10:00:00Z' }),
      JSON.parse(`{"id":"tag-proto","timestamp":${NOW},"method":"m","tags":{"__proto__":"x"}}`),
      JSON.parse(`{"id":"prop-proto","timestamp":${NOW},"method":"m","properties":{"__proto__":{"polluted":true}}}`),
      ok('prop-array', { properties: [1, 2] }),
      ok('nul', { target: 'a\u0000b' }),
      // Half of a surrogate pair: no engine can store it, and an id altered on the way in would never match its resend.
      ok('lone-\ud800'),
    ];
    const res = await send(gzipSync(JSON.stringify({ events })), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    const result = (await res.json()) as {
      accepted: number;
      duplicates: number;
      rejected: { index: number; reason: string }[];
    };
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => r.index)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19,
    ]);
    expect(result.rejected.find((r) => r.index === 14)!.reason).toBe('timestamp: not a real date and time');
    expect(result.rejected.find((r) => r.index === 18)!.reason).toBe('target: contains a NUL character');
    expect(result.rejected.find((r) => r.index === 19)!.reason).toMatch(/^id: contains a lone surrogate/);
    expect(result.rejected.find((r) => r.index === 1)!.reason).toMatch(/^method/);
    expect(result.rejected.find((r) => r.index === 3)!.reason).toMatch(/future/);
    expect(result.rejected.find((r) => r.index === 7)!.reason).toMatch(/__proto__/);
    expect(await eventCount()).toBe(2);
    const stored = await collector.get<{ event: Record<string, unknown> }>('/v1/events/good-2', project.readKey);
    expect(stored.event).toMatchObject({ id: 'good-2', isError: true, error: { message: 'boom', code: '-32603' } });
    expect(stored.event).not.toHaveProperty('future');
  });

  it('validates query parameters', async () => {
    for (const query of [
      'limit=0',
      'limit=101',
      'limit=abc',
      'from=yesterday',
      'hasError=maybe',
      'kind=other',
      'cursor=zzz',
      'from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
      'to=99999999999999999',
    ]) {
      const res = await collector.fetch(`/v1/sessions?${query}`, {
        headers: { authorization: `Bearer ${project.readKey}` },
      });
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_parameter');
    }
    for (const path of [
      '/v1/stats?to=99999999999999999',
      '/v1/tools?from=-99999999999999999',
      '/v1/users?limit=201',
      '/v1/sessions/ses_x?limit=5001',
    ]) {
      const res = await collector.fetch(path, { headers: { authorization: `Bearer ${project.readKey}` } });
      expect(res.status, path).toBe(400);
    }
    expect(
      (await collector.fetch('/v1/sessions', { headers: { authorization: `Bearer ${project.writeKey}` } })).status,
    ).toBe(403);
    expect((await collector.fetch('/v1/sessions')).status).toBe(401);
  });

  it('keeps projects apart: keys, events, sessions and ids', async () => {
    const a = await collector.createProject('tenant-a');
    const b = await collector.createProject('tenant-b');
    await collector.post([ok('shared-id', { user: { id: 'u' }, sessionId: 'tx' })], { key: a.writeKey });
    await collector.post([ok('shared-id', { method: 'other' })], { key: b.writeKey });
    const sessionA = (await collector.get<SessionListResponse>('/v1/sessions', a.readKey)).sessions[0]!;
    const sessionB = (await collector.get<SessionListResponse>('/v1/sessions', b.readKey)).sessions[0]!;
    expect(sessionA.id).not.toBe(sessionB.id);
    expect((await collector.get<{ event: { method: string } }>('/v1/events/shared-id', b.readKey)).event.method).toBe(
      'other',
    );
    const cross = await collector.fetch(`/v1/sessions/${sessionA.id}`, {
      headers: { authorization: `Bearer ${b.readKey}` },
    });
    expect(cross.status).toBe(404);
    expect((await collector.get<SessionListResponse>('/v1/sessions?user=u', b.readKey)).sessions).toEqual([]);
  });

  it('adds up dropped counts from senders', async () => {
    const p = await collector.createProject('dropped');
    await collector.post([], { key: p.writeKey, dropped: 3 });
    await collector.post([ok('d1')], { key: p.writeKey, dropped: 4 });
    expect((await collector.get<StatsResponse>('/v1/stats', p.readKey)).dropped).toBe(7);
    // Running totals: a resend (same events, same total) and a stale total add nothing.
    const sender = { id: 'pod-a', droppedTotal: 5 };
    await collector.post([ok('d2')], { key: p.writeKey, dropped: 5, sender });
    await collector.post([ok('d2')], { key: p.writeKey, dropped: 5, sender });
    await collector.post([ok('d3')], { key: p.writeKey, sender: { id: 'pod-a', droppedTotal: 2 } });
    expect((await collector.get<StatsResponse>('/v1/stats', p.readKey)).dropped).toBe(12);
  });

  it('creates projects only with the admin token', async () => {
    const post = (token: string) =>
      collector.fetch('/v1/projects', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: 'x' }),
      });
    expect((await post('wrong')).status).toBe(401);
    const res = await post(collector.adminToken);
    expect(res.status).toBe(201);
    const created = (await res.json()) as ProjectCreated;
    expect(created.writeKey).not.toBe(created.readKey);
    expect(
      (
        await collector.fetch('/v1/projects', {
          method: 'POST',
          headers: { authorization: `Bearer ${collector.adminToken}` },
          body: '{"name": ""}',
        })
      ).status,
    ).toBe(400);
  });

  it('serves the dashboard for app routes, with a strict CSP, and assets only when they exist', async () => {
    for (const path of ['/', '/sessions', '/tools/fs.read_file', '/users/alice.smith']) {
      const res = await collector.fetch(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await res.text()).toContain('<html');
    }
    expect((await collector.fetch('/assets/missing.js')).status).toBe(404);
    expect((await collector.fetch('/%E0%A4%A')).status).toBe(400);
    expect(
      (await collector.fetch('/v1/nothing-here', { headers: { authorization: `Bearer ${project.readKey}` } })).status,
    ).toBe(404);
  });
});
