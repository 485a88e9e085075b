/**
 * One conversation, one session (docs/adr/0104): real clients nobody here wrote,
 * with their default options (the TypeScript SDK v1 and v2 `Client`, the MCP
 * Inspector CLI), speaking a 2025 revision to real stateless servers of every
 * shape, tracked, sending to a real collector. The only header the test sets is
 * `Authorization`, which names the user as an auth layer would.
 */
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { FastMCP } from 'fastmcp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SessionDetailResponse, SessionListResponse, SessionView } from '@mcptrail/protocol';
import { flush, shutdown, track, type TrackOptions } from 'mcptrail';
import { identifyByBearer } from '../../examples/shared.js';
import { start as startV1Stateless } from '../../examples/v1-stateless-http.js';
import { start as startV2Handler } from '../../examples/v2-create-mcp-handler.js';
import { startCollector, type CollectorProcess } from '../support/collector.js';
import { inspectorCli } from '../support/real-clients.js';
import { freePort } from './sdk-support/clients.js';

interface RunningServer {
  url: string;
  close(): Promise<void>;
}

async function startFastMcpStateless(options: TrackOptions): Promise<RunningServer> {
  const server = new FastMCP({ name: 'weather-fastmcp', version: '4.0.0' });
  server.addTool({ name: 'forecast', description: 'Forecast for a city', parameters: z.object({ city: z.string() }), execute: async ({ city }) => `Sunny in ${city}` });
  track(server, options);
  const port = await freePort();
  await server.start({ transportType: 'httpStream', httpStream: { port, host: '127.0.0.1', stateless: true } });
  return { url: `http://127.0.0.1:${port}/mcp`, close: () => server.stop() };
}

const SHAPES: Array<{ shape: string; start: (options: TrackOptions) => Promise<RunningServer> }> = [
  { shape: 'v1 McpServer, stateless Streamable HTTP', start: (options) => startV1Stateless(0, options) },
  { shape: 'v2 createMcpHandler (2025 requests: the legacy fallback)', start: (options) => startV2Handler(0, options) },
  { shape: 'fastmcp, stateless HTTP stream', start: startFastMcpStateless },
];

/** A client, the name its `clientInfo` gives, and one conversation of it. */
interface RealClient {
  client: string;
  clientName: string;
  /** Methods one conversation calls, in order (the client may add others, e.g. `logging/setLevel`). */
  methods: string[];
  converse(url: string, headers: Record<string, string>): Promise<void>;
}

/** initialize, tools/list, two tools/call, as an assistant's turn would. */
async function workThrough(client: { listTools(): Promise<unknown>; callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>; close(): Promise<void> }) {
  await client.listTools();
  await client.callTool({ name: 'forecast', arguments: { city: 'Oslo' } });
  await client.callTool({ name: 'forecast', arguments: { city: 'Bergen' } });
  await client.close();
}

const CLIENTS: RealClient[] = [
  {
    client: 'TypeScript SDK v1 Client',
    clientName: 'claude-ai',
    methods: ['initialize', 'tools/list', 'tools/call', 'tools/call'],
    async converse(url, headers) {
      const client = new ClientV1({ name: 'claude-ai', version: '0.14.1' });
      await client.connect(new HttpV1(new URL(url), { requestInit: { headers } }));
      await workThrough(client);
    },
  },
  {
    client: 'TypeScript SDK v2 Client (default negotiation: 2025-11-25)',
    clientName: 'cursor-vscode',
    methods: ['initialize', 'tools/list', 'tools/call', 'tools/call'],
    async converse(url, headers) {
      const client = new ClientV2({ name: 'cursor-vscode', version: '1.7.2' });
      await client.connect(new HttpV2(new URL(url), { requestInit: { headers } }));
      await workThrough(client as never);
    },
  },
  {
    client: 'MCP Inspector CLI',
    clientName: 'inspector-cli',
    // One invocation is one conversation; it lists the tools to type `--tool-arg`.
    methods: ['initialize', 'tools/list', 'tools/call'],
    async converse(url, headers) {
      await inspectorCli(url, 'tools/call', ['--tool-name', 'forecast', '--tool-arg', 'city=Oslo'], headers);
    },
  },
];

const bearer = (user: string) => ({ authorization: `Bearer ${user}-token` });

let collector: CollectorProcess;
let projects = 0;

/** Every session of the project, with the methods of its events (in time order) and how it was formed. */
async function sessionsOf(readKey: string) {
  await flush();
  const { sessions } = await collector.get<SessionListResponse>('/v1/sessions?limit=100', readKey);
  const described = await Promise.all(
    sessions.map(async (s: SessionView) => {
      const detail = await collector.get<SessionDetailResponse>(`/v1/sessions/${s.id}`, readKey);
      return { user: s.userId, client: s.clientName, basis: s.basis, methods: detail.events.map((e) => e.method) };
    }),
  );
  return described.sort((a, b) => (a.user ?? '').localeCompare(b.user ?? ''));
}

/** `methods` in order within what a session holds (a client may call more). */
const conversation = (user: string | null, client: string, basis: string, methods: string[]) => ({
  user,
  client,
  basis,
  methods: expect.arrayContaining(methods) as unknown,
});

beforeAll(async () => {
  collector = await startCollector({ sessionTimeout: '30m' });
});
afterEach(async () => {
  await shutdown();
});
afterAll(async () => {
  await collector?.stop();
});

describe.each(SHAPES)('$shape', ({ start }) => {
  describe.each(CLIENTS)('$client', ({ clientName, methods, converse }) => {
    it('by default (no token): each user\'s conversation is one session, named after its clientInfo', async () => {
      const project = await collector.createProject(`continuity ${++projects}`);
      const server = await start({ endpoint: collector.url, projectKey: project.writeKey, identify: identifyByBearer });
      // Two users at once, from the same machine and the same client software.
      await Promise.all([converse(server.url, bearer('alice')), converse(server.url, bearer('bob'))]);
      await server.close();
      expect(await sessionsOf(project.readKey)).toEqual([
        conversation('alice', clientName, 'user-fingerprint-window', methods),
        conversation('bob', clientName, 'user-fingerprint-window', methods),
      ]);
    });

    it('with conversation tokens: each conversation is exactly one session, anonymous ones too', async () => {
      const project = await collector.createProject(`continuity ${++projects}`);
      const server = await start({ endpoint: collector.url, projectKey: project.writeKey, identify: identifyByBearer, conversationToken: true });
      await Promise.all([converse(server.url, bearer('alice')), converse(server.url, bearer('bob')), converse(server.url, {})]);
      await server.close();
      expect(await sessionsOf(project.readKey)).toEqual([
        conversation(null, clientName, 'conversation-token', methods),
        conversation('alice', clientName, 'conversation-token', methods),
        conversation('bob', clientName, 'conversation-token', methods),
      ]);
    });
  });
});
