/**
 * Every HTTP shape (v1 stateless and stateful, v2 createMcpHandler modern and
 * legacy, fastmcp stateless and stateful): real clients, real servers on
 * loopback, the built `mcptrail`, and a real HTTP endpoint recording what it sends.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WireEvent } from '@mcptrail/protocol';
import { FastMCP } from 'fastmcp';
import { z } from 'zod';
import { flush, shutdown, track, type RequestContext, type TrackOptions } from 'mcptrail';
import { identifyByBearer } from '../../examples/shared.js';
import { start as startV1Stateless } from '../../examples/v1-stateless-http.js';
import { start as startV1Stateful } from '../../examples/v1-stateful-http.js';
import { start as startV2Handler } from '../../examples/v2-create-mcp-handler.js';
import { startCaptureServer, type CaptureServer } from '../../packages/sdk/test-support/capture-server.js';
import { freePort, v1Client, v2Client } from './sdk-support/clients.js';

let collector: CaptureServer;
let identifyCalls = 0;
let n = 0;
const options = (extra: TrackOptions = {}): TrackOptions => ({
  endpoint: collector.url,
  projectKey: `http-${++n}`,
  identify: (request, context: RequestContext) => {
    identifyCalls++;
    return identifyByBearer(request, context);
  },
  ...extra,
});
const sent = async (): Promise<WireEvent[]> => {
  await flush();
  return collector.takeAccepted();
};
const calls = (events: WireEvent[]) => events.filter((e) => e.method === 'tools/call');
const alice = { authorization: 'Bearer alice-token' };
const bob = { authorization: 'Bearer bob-token' };

beforeAll(async () => {
  collector = await startCaptureServer();
});
// Each test has keys of its own: queues left from one test never reach the next one's batches.
afterEach(async () => {
  await flush();
  identifyCalls = 0;
  collector.batches.length = 0;
});
afterAll(async () => {
  await shutdown();
  await collector.close();
});

describe('v1 stateless Streamable HTTP', () => {
  it('sends no session id, identifies every request, names clients from headers', async () => {
    const server = await startV1Stateless(0, options());
    const a = await v1Client({
      url: server.url,
      name: 'Claude Desktop',
      headers: { ...alice, 'x-mcp-client-name': 'claude-ai', 'x-mcp-client-version': '0.9' },
    });
    const b = await v1Client({
      url: server.url,
      name: 'Cursor',
      headers: { ...bob, 'user-agent': 'Cursor/1.7.2 (darwin arm64)' },
    });
    const anon = await v1Client({ url: server.url, name: 'Anon' });
    await a.callTool('forecast', { city: 'Oslo' });
    await a.callTool('forecast', { city: 'Bergen' });
    await b.callTool('forecast', { city: 'Rome' });
    await expect(b.callTool('fail', { reason: 'no data' })).resolves.toMatchObject({ isError: true });
    await anon.callTool('forecast', { city: 'Nowhere' });
    for (const c of [a, b, anon]) await c.close();
    await server.close();
    const events = await sent();

    expect(events.every((e) => e.sessionId === undefined)).toBe(true);
    expect(events.every((e) => e.transport === 'streamable-http')).toBe(true);
    const byUser = (user: string | null) => calls(events).filter((e) => (e.user?.id ?? null) === user);
    expect(byUser('alice').map((e) => e.client)).toEqual([
      { name: 'claude-ai', version: '0.9', source: 'header' },
      { name: 'claude-ai', version: '0.9', source: 'header' },
    ]);
    expect(byUser('bob').map((e) => e.client)).toEqual([
      { name: 'Cursor', version: '1.7.2', source: 'userAgent' },
      { name: 'Cursor', version: '1.7.2', source: 'userAgent' },
    ]);
    // Each client's requests share a fingerprint; the three clients' differ (their headers differ).
    const fingerprints = (events: WireEvent[]) => new Set(events.map((e) => e.clientFingerprint));
    expect(fingerprints(byUser('alice')).size).toBe(1);
    expect(fingerprints([...byUser('alice'), ...byUser('bob'), ...byUser(null)]).size).toBe(3);
    expect(events.every((e) => typeof e.clientFingerprint === 'string')).toBe(true);
    expect(byUser('bob').find((e) => e.target === 'fail')).toMatchObject({
      isError: true,
      error: { message: expect.stringContaining('no data') },
    });
    expect(byUser(null)).toHaveLength(1);
    expect(byUser(null)[0]?.client).toBeUndefined();
    // initialize names the client from its clientInfo
    expect(
      events
        .filter((e) => e.method === 'initialize')
        .map((e) => e.client?.name)
        .sort(),
    ).toEqual(['Anon', 'Claude Desktop', 'Cursor']);
    // identify ran for every request that reached a handler
    expect(identifyCalls).toBe(events.length);
  });
});

describe('v1 stateful Streamable HTTP', () => {
  it('carries the mcp-session-id and identifies once per session', async () => {
    const server = await startV1Stateful(0, options());
    const a = await v1Client({ url: server.url, name: 'Claude Desktop', headers: alice });
    const b = await v1Client({ url: server.url, name: 'Cursor', headers: bob });
    for (let i = 0; i < 3; i++) await a.callTool('add-note', { text: `a${i}` });
    await b.callTool('add-note', { text: 'b' });
    await a.close();
    await b.close();
    await server.close();
    const events = await sent();
    const sessions = (user: string) => new Set(events.filter((e) => e.user?.id === user).map((e) => e.sessionId));
    expect(sessions('alice').size).toBe(1);
    expect(sessions('bob').size).toBe(1);
    const [aliceSession] = sessions('alice');
    expect(aliceSession).toMatch(/^[0-9a-f-]{36}$/);
    expect(aliceSession).not.toBe([...sessions('bob')][0]);
    expect(
      calls(events)
        .filter((e) => e.user?.id === 'alice')
        .every((e) => e.client?.name === 'Claude Desktop'),
    ).toBe(true);
    expect(identifyCalls).toBe(2);
  });
});

describe('v2 createMcpHandler', () => {
  it('modern (2026-07-28) requests: no session, client from the envelope, server/discover caught', async () => {
    const server = await startV2Handler(0, options());
    const a = await v2Client({
      url: server.url,
      name: 'Claude Desktop',
      version: '1.0.0',
      modern: true,
      headers: alice,
    });
    const b = await v2Client({ url: server.url, name: 'Cursor', version: '2.0.0', modern: true, headers: bob });
    await a.callTool('forecast', { city: 'Oslo' });
    await b.callTool('forecast', { city: 'Rome' });
    await expect(a.callTool('fail', { reason: 'storm' })).resolves.toMatchObject({ isError: true });
    await a.close();
    await b.close();
    await server.close();
    const events = await sent();
    expect(events.map((e) => e.method)).toContain('server/discover');
    expect(events.every((e) => e.sessionId === undefined && e.protocolVersion === '2026-07-28')).toBe(true);
    expect(calls(events).map((e) => [e.target, e.user?.id, e.client?.name, e.isError])).toEqual([
      ['forecast', 'alice', 'Claude Desktop', false],
      ['forecast', 'bob', 'Cursor', false],
      ['fail', 'alice', 'Claude Desktop', true],
    ]);
    expect(events.find((e) => e.target === 'fail')?.error?.message).toContain('storm');
  });

  it('legacy (2025) requests through the stateless fallback: no session id, user per request', async () => {
    const server = await startV2Handler(0, options());
    const a = await v2Client({
      url: server.url,
      name: 'Claude Desktop',
      modern: false,
      headers: { ...alice, 'x-mcp-client-name': 'Claude Desktop' },
    });
    await a.callTool('forecast', { city: 'Oslo' });
    await a.close();
    await server.close();
    const events = await sent();
    expect(events.map((e) => e.method)).toEqual(expect.arrayContaining(['initialize', 'tools/call']));
    expect(
      events.every((e) => e.sessionId === undefined && e.user?.id === 'alice' && e.client?.name === 'Claude Desktop'),
    ).toBe(true);
  });
});

describe('fastmcp', () => {
  async function startFastMcp(stateless: boolean, trackOptions: TrackOptions) {
    const server = new FastMCP({ name: `fast-${++n}`, version: '4.0.0' });
    server.addTool({
      name: 'forecast',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => `Sunny in ${city}`,
    });
    track(server, trackOptions);
    const port = await freePort();
    await server.start({ transportType: 'httpStream', httpStream: { port, host: '127.0.0.1', stateless } });
    return { server, url: `http://127.0.0.1:${port}/mcp` };
  }

  it('started stateless: detected without the option (no session id, identify per request)', async () => {
    const { server, url } = await startFastMcp(true, options());
    const a = await v1Client({
      url,
      name: 'Claude Desktop',
      headers: { ...alice, 'x-mcp-client-name': 'Claude Desktop' },
    });
    await a.callTool('forecast', { city: 'Oslo' });
    await a.callTool('forecast', { city: 'Rome' });
    await a.close();
    await server.stop();
    const events = await sent();
    expect(calls(events)).toHaveLength(2);
    expect(events.every((e) => e.sessionId === undefined && e.user?.id === 'alice')).toBe(true);
    expect(calls(events).every((e) => e.client?.name === 'Claude Desktop')).toBe(true);
    expect(identifyCalls).toBe(events.length);
  });

  it('started stateless with stateless: false: forced stateful (a session id per connection)', async () => {
    const { server, url } = await startFastMcp(true, options({ stateless: false }));
    const a = await v1Client({ url, name: 'Claude Desktop', headers: alice });
    await a.callTool('forecast', { city: 'Oslo' });
    await a.close();
    await server.stop();
    expect(calls(await sent())[0]?.sessionId).toMatch(/^[\w-]{16}$/);
  });

  it('started stateful: sessions carried', async () => {
    const { server, url } = await startFastMcp(false, options());
    const a = await v1Client({ url, name: 'Claude Desktop', headers: alice });
    const b = await v1Client({ url, name: 'Cursor', headers: bob });
    await a.callTool('forecast', { city: 'Oslo' });
    await a.callTool('forecast', { city: 'Oslo' });
    await b.callTool('forecast', { city: 'Rome' });
    await a.close();
    await b.close();
    await server.stop();
    const events = calls(await sent());
    expect(events).toHaveLength(3);
    const [first, second, third] = events;
    expect(first?.sessionId).toBeTruthy();
    expect(second?.sessionId).toBe(first?.sessionId);
    expect(third?.sessionId).not.toBe(first?.sessionId);
    expect(first?.client?.name).toBe('Claude Desktop');
    expect(third?.client?.name).toBe('Cursor');
  });
});
