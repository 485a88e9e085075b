/**
 * End to end at a real collector process: the built SDK in real servers
 * (v1 stateless HTTP, v2 createMcpHandler with modern requests, fastmcp,
 * stdio child processes), real clients, and the collector's query API.
 */
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { FastMCP } from 'fastmcp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SessionDetailResponse, SessionListResponse, SessionView, StatsResponse } from '@mcptrail/protocol';
import { flush, shutdown, track, type TrackOptions } from 'mcptrail';
import { identifyByBearer } from '../../examples/shared.js';
import { start as startV1Stateless } from '../../examples/v1-stateless-http.js';
import { start as startV1Stateful } from '../../examples/v1-stateful-http.js';
import { start as startV2Handler } from '../../examples/v2-create-mcp-handler.js';
import { SDK_LINES } from '../../packages/sdk/test-support/sdk-lines.js';
import { startCollector, type CollectorProcess } from '../support/collector.js';
import { freePort, v1Client, v2Client, type ClientSpec, type HttpClient } from './sdk-support/clients.js';

const SESSION_TIMEOUT_MS = 3000;
let collector: CollectorProcess;

beforeAll(async () => {
  collector = await startCollector({ sessionTimeout: `${SESSION_TIMEOUT_MS / 1000}s` });
});
// Each test has a project of its own: queues left from one test never reach the next one's.
afterEach(async () => {
  await flush();
});
afterAll(async () => {
  await shutdown();
  await collector?.stop();
});

async function project(name: string): Promise<{ key: string; get: <T>(path: string) => Promise<T> }> {
  const created = await collector.createProject(name);
  return { key: created.writeKey, get: <T>(path: string) => collector.get<T>(path, created.readKey) };
}

const summary = (sessions: SessionView[]) =>
  sessions.map((s) => `${s.kind} ${s.userId ?? '-'} ${s.clientName ?? '-'} ${s.eventCount}`).sort();

/** The grouping table of the collector issue, in real time, over one stateless shape. */
const STATELESS_SHAPES: Array<{
  name: string;
  start: (options: TrackOptions) => Promise<{ url: string; close(): Promise<void> }>;
  client: (spec: ClientSpec) => Promise<HttpClient>;
  /** Requests a connection makes before its first tools/call (initialize, or server/discover). */
  handshake: number;
}> = [
  {
    name: 'v1 stateless Streamable HTTP',
    start: (options) => startV1Stateless(0, options),
    client: (spec) => v1Client({ ...spec, headers: { ...spec.headers, 'x-mcp-client-name': spec.name } }),
    handshake: 1,
  },
  {
    name: 'v2 createMcpHandler, 2026-07-28 requests',
    start: (options) => startV2Handler(0, options),
    client: (spec) => v2Client({ ...spec, modern: true }),
    handshake: 1,
  },
];

describe.each(STATELESS_SHAPES)('stateless grouping at the collector: $name', ({ name, start, client, handshake }) => {
  it('groups by user + client + inactivity; anonymous requests get sessions of their own', async () => {
    const p = await project(name);
    const server = await start({ endpoint: collector.url, projectKey: p.key, identify: identifyByBearer });
    const alice = { authorization: 'Bearer alice-token' };
    const aliceDesktop = await client({ url: server.url, name: 'Claude Desktop', headers: alice });
    const bobCursor = await client({ url: server.url, name: 'Cursor', headers: { authorization: 'Bearer bob-token' } });
    const aliceCursor = await client({ url: server.url, name: 'Cursor', headers: alice });
    const anonymous = await client({ url: server.url, name: 'Claude Desktop' });

    await aliceDesktop.callTool('forecast', { city: 'Oslo' }); // 1 alice / Claude Desktop → A
    await bobCursor.callTool('forecast', { city: 'Rome' }); //    2 bob / Cursor → B
    await aliceDesktop.callTool('fail', { reason: 'storm' }); //  3 alice / Claude Desktop → A again
    await aliceCursor.callTool('forecast', { city: 'Oslo' }); //  4 alice / Cursor → C (other client)
    await anonymous.callTool('forecast', { city: 'Nowhere' }); // anonymous: sessions of their own
    await flush();
    // Inactivity longer than the collector's --session-timeout.
    await new Promise((resolve) => setTimeout(resolve, SESSION_TIMEOUT_MS + 800));
    await aliceDesktop.callTool('forecast', { city: 'Bergen' }); // 5 alice / Claude Desktop → D (new session)
    for (const c of [aliceDesktop, bobCursor, aliceCursor, anonymous]) await c.close();
    await server.close();
    await flush();

    const { sessions } = await p.get<SessionListResponse>('/v1/sessions');
    expect(summary(sessions)).toEqual(
      [
        `grouped alice Claude Desktop ${handshake + 2}`,
        `grouped alice Claude Desktop 1`,
        `grouped alice Cursor ${handshake + 1}`,
        `grouped bob Cursor ${handshake + 1}`,
        ...Array.from({ length: handshake + 1 }, () => `anonymous - Claude Desktop 1`),
      ].sort(),
    );
    const [first] = (
      await p.get<SessionListResponse>('/v1/sessions?user=alice&client=Claude%20Desktop')
    ).sessions.filter((s) => s.eventCount > 1);
    const detail = await p.get<SessionDetailResponse>(`/v1/sessions/${first!.id}`);
    const call = (target: string) => detail.events.find((e) => e.method === 'tools/call' && e.target === target);
    expect(call('forecast')).toMatchObject({
      isError: false,
      transportSessionId: null,
      user: { id: 'alice' },
      client: { name: 'Claude Desktop' },
    });
    expect(call('fail')).toMatchObject({ isError: true, error: { message: expect.stringContaining('storm') } });
  });
});

describe.each(SDK_LINES)('$name servers over the in-memory transport, at the collector', (line) => {
  it('McpServer and low-level Server: a stateful session per connection; methods, targets, errors', async () => {
    const p = await project(`in-memory ${line.name}`);
    const high = track(line.highLevel(), {
      endpoint: collector.url,
      projectKey: p.key,
      identify: () => ({ userId: 'erin' }),
    });
    const low = line.lowLevel();
    track(low, { endpoint: collector.url, projectKey: p.key });
    line.setLowLevelHandlers(low);
    for (const server of [high, low]) {
      const [clientTransport, serverTransport] = line.linkedPair();
      await server.connect(serverTransport);
      const client = line.client('Claude Desktop', '0.9.0');
      await client.connect(clientTransport);
      if (server === high) {
        await client.callTool({ name: 'echo', arguments: { text: 'hi', password: 'hunter2' } });
        await client.callTool({ name: 'fails', arguments: { text: 'x' } }).catch(() => undefined);
        await client.getPrompt({ name: 'greet', arguments: { who: 'ada' } });
        await client.readResource({ uri: 'file:///readme.md' });
      } else await client.callTool({ name: 'low-tool' });
      await client.close();
    }
    await flush();
    const { sessions } = await p.get<SessionListResponse>('/v1/sessions');
    expect(summary(sessions)).toEqual(['stateful - Claude Desktop 2', 'stateful erin Claude Desktop 5']);
    const highSession = sessions.find((s) => s.userId === 'erin')!;
    const detail = await p.get<SessionDetailResponse>(`/v1/sessions/${highSession.id}`);
    expect(detail.events.map((e) => `${e.method} ${e.target ?? ''} ${e.isError}`).sort()).toEqual([
      'initialize  false',
      'prompts/get greet false',
      'resources/read file:///readme.md false',
      'tools/call echo false',
      'tools/call fails true',
    ]);
    expect(detail.events.find((e) => e.target === 'echo')?.arguments).toEqual({ text: 'hi', password: '[redacted]' });
    expect(detail.events.every((e) => e.transport === 'in-memory' && e.server?.name === 'contract-server')).toBe(true);
  });
});

const HTTP_SESSION_CASES: Array<{
  name: string;
  start: (options: TrackOptions) => Promise<{ url: string; close(): Promise<void> }>;
  client: (url: string) => Promise<HttpClient>;
  call: [string, Record<string, unknown>];
  calls: number;
  expected: string[];
}> = [
  {
    name: 'v1 stateful Streamable HTTP: the mcp-session-id is the session',
    start: (options) => startV1Stateful(0, options),
    client: (url) => v1Client({ url, name: 'Cursor', headers: { authorization: 'Bearer frank-token' } }),
    call: ['add-note', { text: 'one' }],
    calls: 2,
    expected: ['stateful frank Cursor 3'],
  },
  {
    name: 'v2 createMcpHandler, legacy requests: grouped like any stateless server',
    start: (options) => startV2Handler(0, options),
    client: (url) =>
      v2Client({
        url,
        name: 'Windsurf',
        modern: false,
        headers: { authorization: 'Bearer grace-token', 'x-mcp-client-name': 'Windsurf' },
      }),
    call: ['forecast', { city: 'Oslo' }],
    calls: 1,
    expected: ['grouped grace Windsurf 2'],
  },
];

describe('stateful and legacy HTTP at the collector', () => {
  it.each(HTTP_SESSION_CASES)('$name', async ({ name, start, client, call, calls, expected }) => {
    const p = await project(name);
    const server = await start({ endpoint: collector.url, projectKey: p.key, identify: identifyByBearer });
    const c = await client(server.url);
    for (let i = 0; i < calls; i++) await c.callTool(...call);
    await c.close();
    await server.close();
    await flush();
    const { sessions } = await p.get<SessionListResponse>('/v1/sessions');
    expect(summary(sessions)).toEqual(expected);
    expect(sessions.every((s) => (s.kind === 'stateful') === (s.transportSessionId !== null))).toBe(true);
  });
});

describe('fastmcp at the collector', () => {
  async function run(stateless: boolean, p: { key: string }) {
    const server = new FastMCP({ name: `fastmcp-${stateless ? 'stateless' : 'stateful'}`, version: '4.0.0' });
    server.addTool({
      name: 'forecast',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => `Sunny in ${city}`,
    });
    track(server, { endpoint: collector.url, projectKey: p.key, identify: identifyByBearer });
    const port = await freePort();
    await server.start({ transportType: 'httpStream', httpStream: { port, host: '127.0.0.1', stateless } });
    const url = `http://127.0.0.1:${port}/mcp`;
    for (const [user, clientName] of [
      ['alice', 'Claude Desktop'],
      ['bob', 'Cursor'],
      ['alice', 'Claude Desktop'],
    ] as const) {
      const c = await v1Client({
        url,
        name: clientName,
        headers: { authorization: `Bearer ${user}-token`, 'x-mcp-client-name': clientName },
      });
      await c.callTool('forecast', { city: 'Oslo' });
      await c.close();
    }
    await server.stop();
    await flush();
  }

  it('started stateless: detected, grouped by user and client', async () => {
    const p = await project('fastmcp stateless');
    await run(true, p);
    const { sessions } = await p.get<SessionListResponse>('/v1/sessions');
    expect(summary(sessions)).toEqual(['grouped alice Claude Desktop 4', 'grouped bob Cursor 2']);
  });

  it('started stateful: one session per connection, carried', async () => {
    const p = await project('fastmcp stateful');
    await run(false, p);
    const { sessions } = await p.get<SessionListResponse>('/v1/sessions');
    expect(sessions).toHaveLength(3);
    expect(sessions.every((s) => s.kind === 'stateful' && s.transportSessionId !== null)).toBe(true);
    expect(summary(sessions)).toEqual([
      'stateful alice Claude Desktop 2',
      'stateful alice Claude Desktop 2',
      'stateful bob Cursor 2',
    ]);
  });
});

describe.each([
  { shape: 'v1 stdio transport', file: 'stdio.ts' },
  { shape: 'v2 serveStdio', file: 'v2-stdio.ts' },
])('stdio child processes: $shape', ({ file }) => {
  const example = fileURLToPath(new URL(`../../examples/${file}`, import.meta.url));
  // One process (tsx as a loader, not its CLI wrapper), so the signal reaches the server itself.
  const tsxLoader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

  async function spawnStdio(p: { key: string }) {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', tsxLoader, example],
      env: {
        ...(process.env as Record<string, string>),
        MCPTRAIL_ENDPOINT: collector.url,
        MCPTRAIL_KEY: p.key,
        USER_ID: 'carol',
      },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'Zed', version: '0.200.0' });
    await client.connect(transport);
    await client.callTool({ name: 'roll', arguments: { sides: 6 } });
    const failed = await client.callTool({ name: 'fail', arguments: { reason: 'nope' } });
    expect(failed.isError).toBe(true);
    return { client, transport };
  }

  async function sessionsOf(p: { get: <T>(path: string) => Promise<T> }, expected: number): Promise<SessionView[]> {
    // The child delivers on its way out; the collector commits before answering it.
    for (;;) {
      const { sessions } = await p.get<SessionListResponse>('/v1/sessions');
      if (sessions.reduce((n, s) => n + s.eventCount, 0) >= expected) return sessions;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('delivers everything when stdin closes (the child drains on its way out): one stateful session', async () => {
    const p = await project(`stdio close ${file}`);
    const { client } = await spawnStdio(p);
    await client.close();
    const sessions = await sessionsOf(p, 3);
    expect(summary(sessions)).toEqual(['stateful carol Zed 3']);
    const detail = await p.get<SessionDetailResponse>(`/v1/sessions/${sessions[0]!.id}`);
    expect(detail.events.map((e) => [e.method, e.target, e.isError, e.transport]).sort()).toEqual([
      ['initialize', null, false, 'stdio'],
      ['tools/call', 'fail', true, 'stdio'],
      ['tools/call', 'roll', false, 'stdio'],
    ]);
    expect(detail.events[0]?.transportSessionId).toMatch(/^[\w-]{16}$/);
  });

  it('delivers everything on SIGTERM, and the child still exits on the signal', async () => {
    const p = await project(`stdio sigterm ${file}`);
    const { transport } = await spawnStdio(p);
    const child = (transport as unknown as { _process: import('node:child_process').ChildProcess })._process;
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    const sessions = await sessionsOf(p, 3);
    expect(summary(sessions)).toEqual(['stateful carol Zed 3']);
  });
});

describe('delivery at the collector', () => {
  it('collector down, then up: every event arrives, none twice', async () => {
    const port = await freePort();
    const first = await startCollector({ port });
    const db = first.db;
    const key = first.writeKey;
    const readKey = first.readKey;
    await first.stop();
    const server = await startV1Stateless(0, { endpoint: first.url, projectKey: key, identify: identifyByBearer });
    const c = await v1Client({
      url: server.url,
      name: 'Cursor',
      headers: { authorization: 'Bearer dave-token', 'x-mcp-client-name': 'Cursor' },
    });
    for (let i = 0; i < 5; i++) await c.callTool('forecast', { city: `c${i}` });
    await c.close();
    await server.close();
    const pending = flush(60_000);
    const second = await startCollector({ port, db, createProject: false });
    try {
      await pending;
      const stats = await second.get<StatsResponse>('/v1/stats', readKey);
      expect(stats.events).toBe(6);
      expect(stats.dropped).toBe(0);
    } finally {
      await second.stop();
    }
  });

  it('overflow: the oldest are dropped, and the count reaches the collector', async () => {
    const p = await project('overflow');
    const server = await startV1Stateless(0, {
      endpoint: collector.url,
      projectKey: p.key,
      delivery: { maxQueueEvents: 4, flushIntervalMs: 60_000 },
    });
    const c = await v1Client({ url: server.url, name: 'Cursor' });
    await Promise.all(Array.from({ length: 12 }, (_, i) => c.callTool('forecast', { city: `c${i}` })));
    await c.close();
    await server.close();
    await flush();
    // One more event carries the count of the first flush's losses, if any were left.
    const stats = await p.get<StatsResponse>('/v1/stats');
    expect(stats.events).toBe(4);
    expect(stats.dropped).toBe(13 - 4);
  });
});
