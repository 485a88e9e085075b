/**
 * One conversation, one session (docs/adr/0104): real clients nobody here wrote,
 * with their default options (the TypeScript SDK v1 and v2 `Client`, the MCP
 * Inspector CLI), speaking a 2025 revision to real stateless servers of every
 * shape, tracked, sending to a real collector. The only header the test sets is
 * `Authorization`, which names the user as an auth layer would.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionDetailResponse, SessionListResponse, SessionView } from '@mcptrail/protocol';
import { flush, shutdown, type TrackOptions } from 'mcptrail';
import { start as startFastMcp } from '../../examples/fastmcp.js';
import { identifyByBearer, listen, type RunningExample } from '../../examples/shared.js';
import { start as startV1Stateless } from '../../examples/v1-stateless-http.js';
import { start as startV2Handler } from '../../examples/v2-create-mcp-handler.js';
import { startCollector, type CollectorProcess } from '../support/collector.js';
import { inspectorCli } from '../support/real-clients.js';
import { freePort } from './sdk-support/clients.js';

const SHAPES: Array<{ shape: string; start: (options: TrackOptions) => Promise<RunningExample> }> = [
  { shape: 'v1 McpServer, stateless Streamable HTTP', start: (options) => startV1Stateless(0, options) },
  { shape: 'v2 createMcpHandler (2025 requests: the legacy fallback)', start: (options) => startV2Handler(0, options) },
  {
    shape: 'fastmcp, stateless HTTP stream',
    start: async (options) => startFastMcp(await freePort(), options, { stateless: true }),
  },
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
async function workThrough(client: {
  listTools(): Promise<unknown>;
  callTool(params: { name: string; arguments: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
}) {
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
      const calls = detail.events.filter((e) => e.method === 'tools/call');
      return {
        user: s.userId,
        client: s.clientName,
        basis: s.basis,
        methods: detail.events.map((e) => e.method),
        callClients: [...new Set(calls.map((e) => e.client?.name ?? 'none'))].join(', '),
      };
    }),
  );
  return described.sort((a, b) => (a.user ?? '').localeCompare(b.user ?? ''));
}

/**
 * What docs/sdk.md's table shows, measured here, not asserted: per client ×
 * shape × mode, sessions per conversation and the client recorded on the
 * session and on its tool calls. Written to test-results/client-continuity.md.
 */
const measured: string[] = [];
function record(
  shape: string,
  client: string,
  mode: string,
  sessions: Awaited<ReturnType<typeof sessionsOf>>,
  conversations: number,
) {
  const clients = [...new Set(sessions.map((s) => s.client ?? 'none'))].join(', ');
  const onCalls = [...new Set(sessions.map((s) => s.callClients))].join(', ');
  measured.push(`| ${client} | ${shape} | ${mode} | ${sessions.length / conversations} | ${clients} | ${onCalls} |`);
}
afterAll(() => {
  mkdirSync('test-results', { recursive: true });
  const header = [
    '| client | server | mode | sessions per conversation | client of the session | client on its tool calls |',
    '|---|---|---|---|---|---|',
  ];
  writeFileSync('test-results/client-continuity.md', `${[...header, ...measured.sort()].join('\n')}\n`);
});

/** `methods` in order within what a session holds (a client may call more). */
const conversation = (user: string | null, client: string, basis: string, methods: string[]) => ({
  user,
  client,
  basis,
  methods: expect.arrayContaining(methods) as unknown,
  callClients: expect.any(String) as unknown,
});

beforeAll(async () => {
  collector = await startCollector({ sessionTimeout: '30m' });
});
afterAll(async () => {
  // Once, at the end: shutdown() is terminal, and every case has a project (a key) of its own.
  await shutdown();
  await collector?.stop();
});

describe.each(SHAPES)('$shape', ({ shape, start }) => {
  describe.each(CLIENTS)('$client', ({ client, clientName, methods, converse }) => {
    it("by default (no token): each user's conversation is one session, named after its clientInfo", async () => {
      const project = await collector.createProject(`continuity ${++projects}`);
      const server = await start({ endpoint: collector.url, projectKey: project.writeKey, identify: identifyByBearer });
      // Two users at once, from the same machine and the same client software.
      await Promise.all([converse(server.url, bearer('alice')), converse(server.url, bearer('bob'))]);
      await server.close();
      const sessions = await sessionsOf(project.readKey);
      record(shape, client, 'default', sessions, 2);
      expect(sessions).toEqual([
        conversation('alice', clientName, 'user-fingerprint-window', methods),
        conversation('bob', clientName, 'user-fingerprint-window', methods),
      ]);
    });

    it('with conversation tokens: each conversation is exactly one session, anonymous ones too', async () => {
      const project = await collector.createProject(`continuity ${++projects}`);
      const server = await start({
        endpoint: collector.url,
        projectKey: project.writeKey,
        identify: identifyByBearer,
        conversationToken: true,
      });
      await Promise.all([
        converse(server.url, bearer('alice')),
        converse(server.url, bearer('bob')),
        converse(server.url, {}),
      ]);
      await server.close();
      const sessions = await sessionsOf(project.readKey);
      record(shape, client, 'conversation token', sessions, 3);
      expect(sessions).toEqual([
        conversation(null, clientName, 'conversation-token', methods),
        conversation('alice', clientName, 'conversation-token', methods),
        conversation('bob', clientName, 'conversation-token', methods),
      ]);
    });
  });
});

const tsxLoader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const v1Example = fileURLToPath(new URL('../../examples/v1-stateless-http.ts', import.meta.url));

/** A v1 stateless server process (a pod), tracked, sending to the collector. */
async function startPod(writeKey: string, conversationToken: boolean): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', tsxLoader, v1Example, ...(conversationToken ? ['--conversation-token'] : [])],
    {
      env: { ...process.env, PORT: String(port), MCPTRAIL_KEY: writeKey, MCPTRAIL_ENDPOINT: collector.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`pod exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('MCP server on') && resolve());
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    // SIGTERM: the SDK drains its queue on the way out.
    stop: () =>
      new Promise((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', () => resolve()) && child.kill('SIGTERM'),
      ),
  };
}

/** A load balancer without stickiness: each request goes to the next pod in turn. */
async function roundRobin(pods: string[]): Promise<RunningExample> {
  let next = 0;
  const proxy = createServer((req, res) => {
    const target = new URL(pods[next++ % pods.length]!);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return listen(proxy, 0);
}

describe('one conversation across pods: a load balancer spreads its requests over two server processes', () => {
  it.each([false, true])('conversation tokens %s', async (conversationToken) => {
    const project = await collector.createProject(`pods ${++projects}`);
    const pods = await Promise.all([
      startPod(project.writeKey, conversationToken),
      startPod(project.writeKey, conversationToken),
    ]);
    const balancer = await roundRobin(pods.map((pod) => pod.url));
    const [v1] = CLIENTS;
    await Promise.all([v1!.converse(balancer.url, bearer('alice')), v1!.converse(balancer.url, bearer('bob'))]);
    await balancer.close();
    await Promise.all(pods.map((pod) => pod.stop()));
    const basis = conversationToken ? 'conversation-token' : 'user-fingerprint-window';
    expect(await sessionsOf(project.readKey)).toEqual([
      conversation('alice', v1!.clientName, basis, v1!.methods),
      conversation('bob', v1!.clientName, basis, v1!.methods),
    ]);
  });
});

describe("the product note's table in real time, with 2025 clients on a stateless server", () => {
  const TIMEOUT_S = 3;
  let shortWindow: CollectorProcess;
  beforeAll(async () => {
    shortWindow = await startCollector({ sessionTimeout: `${TIMEOUT_S}s` });
  });
  afterAll(async () => {
    await shortWindow?.stop();
  });

  it.each<{ mode: string; conversationToken: boolean; claude: Record<string, string>; cursor: Record<string, string> }>(
    [
      {
        mode: 'default: two client programs, each with its own User-Agent',
        conversationToken: false,
        claude: { 'user-agent': 'Claude/0.14.1 (darwin; Electron)' },
        cursor: { 'user-agent': 'Cursor/1.7.2 (darwin arm64)' },
      },
      {
        mode: 'conversation tokens: both clients with the same headers',
        conversationToken: true,
        claude: {},
        cursor: {},
      },
    ],
  )('$mode', async ({ conversationToken, claude, cursor }) => {
    const project = await shortWindow.createProject(`seed ${conversationToken}`);
    const server = await startV1Stateless(0, {
      endpoint: shortWindow.url,
      projectKey: project.writeKey,
      identify: identifyByBearer,
      conversationToken,
    });
    const connect = async (line: 'v1' | 'v2', name: string, user: string, headers: Record<string, string>) => {
      const client =
        line === 'v1' ? new ClientV1({ name, version: '0.14.1' }) : new ClientV2({ name, version: '1.7.2' });
      const Transport = line === 'v1' ? HttpV1 : HttpV2;
      await client.connect(
        new Transport(new URL(server.url), { requestInit: { headers: { ...bearer(user), ...headers } } }) as never,
      );
      return (city: string) => client.callTool({ name: 'forecast', arguments: { city } });
    };
    const aliceClaude = await connect('v1', 'claude-ai', 'alice', claude);
    await aliceClaude('Oslo'); // 1  alice, Claude Desktop → A
    const bobCursor = await connect('v2', 'cursor-vscode', 'bob', cursor);
    await bobCursor('Rome'); // 2  bob, Cursor → B
    await aliceClaude('Bergen'); // 3  alice, Claude Desktop, within the window → A
    const aliceCursor = await connect('v2', 'cursor-vscode', 'alice', cursor);
    await aliceCursor('Oslo'); // 4  alice, Cursor, at the same time → C (another client)
    // The window passes: the point of the table.
    await new Promise((resolve) => setTimeout(resolve, (TIMEOUT_S + 1.5) * 1000));
    await aliceClaude('Tromsø'); // 5  alice, Claude Desktop, after the window → D
    await server.close();
    await flush();
    const { sessions } = await shortWindow.get<SessionListResponse>('/v1/sessions', project.readKey);
    const rows = await Promise.all(
      sessions.map(async (s) => {
        const detail = await shortWindow.get<SessionDetailResponse>(`/v1/sessions/${s.id}`, project.readKey);
        return `${s.userId} ${s.clientName} ${detail.events.map((e) => e.target ?? e.method).join(',')}`;
      }),
    );
    expect(rows.sort()).toEqual(
      [
        'alice claude-ai forecast',
        'alice claude-ai initialize,forecast,forecast',
        'alice cursor-vscode initialize,forecast',
        'bob cursor-vscode initialize,forecast',
      ].sort(),
    );
  });
});
