/**
 * `npm run demo`: a collector on a fresh embedded database, filled with a week
 * of believable history (posted directly, as an SDK would have sent it) and
 * then with live traffic: a sample MCP server tracked by the SDK, talked to by
 * simulated Claude Desktop, Cursor and VS Code clients, stateful and stateless,
 * identified and anonymous, with a slow tool and failing ones.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { startCollector } from '@mcptrail/collector';
import { flush, track, type TrackOptions } from 'mcptrail';
import { pino } from 'pino';
import { z } from 'zod';
import { start as startStatelessServer } from './v1-stateless-http.js';
import { identifyByBearer } from './shared.js';

const DB = process.env.MCPTRAIL_DEMO_DB ?? '.mcptrail/demo.db';
const PORT = Number(process.env.MCPTRAIL_PORT ?? 4400);
const DAYS = 7;
const MIN = 60_000;

const USERS = [
  { id: 'alice', name: 'Alice Martin' },
  { id: 'bob', name: 'Bob Okafor' },
  { id: 'carol', name: 'Carol Chen' },
  { id: 'dave', name: 'Dave Silva' },
  { id: 'erin', name: 'Erin Novak' },
  { id: 'farid', name: 'Farid Haddad' },
];
/** Raw clientInfo names as these clients send them. */
const CLIENTS = [
  { name: 'claude-ai', version: '0.14.10' },
  { name: 'cursor-vscode', version: '1.7.2' },
  { name: 'Visual Studio Code', version: '1.105.1' },
];
/** What each of them sends as its User-Agent: their own product, or their HTTP stack's. */
const USER_AGENTS = ['Claude/0.14.10 (darwin; Electron)', 'Cursor/1.7.2 (darwin arm64)', 'node'];
const TOOLS: {
  name: string;
  args: () => Record<string, unknown>;
  ms: [number, number];
  failRate: number;
  error?: string;
}[] = [
  {
    name: 'search_docs',
    args: () => ({ query: pick(['rate limits', 'webhooks', 'pagination', 'auth scopes', 'SDK install']) }),
    ms: [20, 120],
    failRate: 0.01,
  },
  {
    name: 'get_forecast',
    args: () => ({ city: pick(['Lisbon', 'Nairobi', 'Osaka', 'Toronto']) }),
    ms: [600, 4200],
    failRate: 0.04,
    error: 'upstream weather API timed out',
  },
  {
    name: 'create_ticket',
    args: () => ({
      title: pick(['Login loop on Safari', 'Export is empty', 'Dark mode contrast']),
      priority: pick(['low', 'high']),
    }),
    ms: [80, 300],
    failRate: 0.18,
    error: 'project "SUP" is read-only',
  },
  {
    name: 'run_sql',
    args: () => ({ sql: pick(['select count(*) from orders', 'select * from users limit 10', 'delete from carts']) }),
    ms: [30, 900],
    failRate: 0.1,
    error: 'permission denied for table carts',
  },
];

let seed = 7;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const between = (low: number, high: number) => Math.round(low + rand() * (high - low));

/** A week of sessions, as events an SDK would have sent. */
function history(now: number): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  const server = { name: 'acme-support', version: '2.3.0' };
  for (let day = DAYS; day >= 1; day--) {
    for (const user of USERS) {
      const sessions = between(0, 3);
      for (let s = 0; s < sessions; s++) {
        const client = pick(CLIENTS);
        const stateful = rand() < 0.25;
        const sessionId = stateful ? randomUUID() : undefined;
        let t = now - day * 24 * 60 * MIN + between(8 * 60, 19 * 60) * MIN;
        const base = {
          client,
          server,
          sessionId,
          user,
          protocolVersion: stateful ? '2025-11-25' : '2026-07-28',
          transport: 'streamable-http',
        };
        if (stateful)
          events.push({
            ...base,
            id: randomUUID(),
            timestamp: t,
            durationMs: 3,
            method: 'initialize',
            result: { serverInfo: server },
          });
        events.push({ ...base, id: randomUUID(), timestamp: (t += 500), durationMs: 2, method: 'tools/list' });
        for (let call = between(2, 12); call > 0; call--) events.push(toolCall(base, (t += between(20, 240) * 1000)));
      }
    }
    for (let a = between(2, 6); a > 0; a--) {
      const t = now - day * 24 * 60 * MIN + between(0, 24 * 60) * MIN;
      events.push(
        toolCall({ client: pick(CLIENTS), server, transport: 'streamable-http', protocolVersion: '2026-07-28' }, t),
      );
    }
  }
  return events;
}

function toolCall(base: Record<string, unknown>, timestamp: number): Record<string, unknown> {
  const tool = pick(TOOLS);
  const failed = rand() < tool.failRate;
  const durationMs = between(...tool.ms) * (rand() < 0.05 ? 4 : 1);
  const args = tool.args();
  return {
    ...base,
    id: randomUUID(),
    timestamp,
    durationMs,
    method: 'tools/call',
    target: tool.name,
    arguments: args,
    isError: failed,
    ...(failed
      ? {
          error: { type: 'ToolError', message: tool.error ?? 'failed' },
          result: { isError: true, content: [{ type: 'text', text: tool.error }] },
        }
      : { result: { content: [{ type: 'text', text: `${tool.name} ok: ${JSON.stringify(args)}` }] } }),
  };
}

function sampleServer(): McpServer {
  const server = new McpServer({ name: 'acme-support', version: '2.3.0' });
  server.registerTool(
    'search_docs',
    { description: 'Search the docs', inputSchema: { query: z.string() } },
    async ({ query }) => ({
      content: [{ type: 'text', text: `3 pages match "${query}"` }],
    }),
  );
  server.registerTool(
    'get_forecast',
    { description: 'Weather (slow upstream)', inputSchema: { city: z.string() } },
    async ({ city }) => {
      await new Promise((resolve) => setTimeout(resolve, between(300, 900)));
      return { content: [{ type: 'text', text: `Mild and dry in ${city}` }] };
    },
  );
  server.registerTool(
    'create_ticket',
    { description: 'Open a ticket', inputSchema: { title: z.string() } },
    async ({ title }) => {
      if (title.includes('!'))
        return { isError: true, content: [{ type: 'text', text: 'project "SUP" is read-only' }] };
      return { content: [{ type: 'text', text: `Opened SUP-${between(100, 999)}: ${title}` }] };
    },
  );
  server.registerTool(
    'run_sql',
    { description: 'Run read-only SQL', inputSchema: { sql: z.string() } },
    async ({ sql }) => {
      if (/delete|drop/i.test(sql)) throw new Error('permission denied for table carts');
      return { content: [{ type: 'text', text: '42 rows' }] };
    },
  );
  return server;
}

async function liveTraffic(options: TrackOptions): Promise<void> {
  const calls = [
    { name: 'search_docs', arguments: { query: 'rate limits' } },
    { name: 'create_ticket', arguments: { title: 'Export is empty!' } },
    { name: 'get_forecast', arguments: { city: 'Lisbon' } },
    { name: 'run_sql', arguments: { sql: 'delete from carts' } },
    { name: 'search_docs', arguments: { query: '<img src=x onerror=alert(1)> shows as text' } },
  ];
  // Stateful: each client keeps one connection (a transport session).
  for (const [i, clientInfo] of CLIENTS.entries()) {
    const server = track(sampleServer(), {
      ...options,
      identify: () => ({ userId: USERS[i]!.id, userName: USERS[i]!.name }),
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client(clientInfo);
    await client.connect(clientSide);
    await client.listTools();
    for (const call of calls.slice(0, 3 + i)) await client.callTool(call).catch(() => undefined);
    await client.close();
  }
  // Stateless: every request is its own HTTP call; users told apart by their bearer token. These 2025
  // clients name themselves only in `initialize`: the conversation token keeps each conversation whole.
  const byId = new Map(USERS.map((user) => [user.id, user.name]));
  const stateless = await startStatelessServer(0, {
    ...options,
    conversationToken: true,
    identify: (request, context) => {
      const user = identifyByBearer(request, context);
      return user ? { userId: user.userId, userName: byId.get(user.userId) ?? user.userId } : null;
    },
  });
  try {
    for (const [i, user] of ['alice', 'bob', null].entries()) {
      const clientInfo = CLIENTS[i]!;
      const headers: Record<string, string> = { 'user-agent': USER_AGENTS[i]! };
      if (user) headers.authorization = `Bearer ${user}-token`;
      const client = new Client(clientInfo);
      await client.connect(new StreamableHTTPClientTransport(new URL(stateless.url), { requestInit: { headers } }));
      await client.callTool({ name: 'forecast', arguments: { city: 'Osaka' } });
      await client.callTool({ name: 'fail', arguments: { reason: 'demo failure' } }).catch(() => undefined);
      await client.close();
    }
  } finally {
    await stateless.close();
  }
}

mkdirSync(dirname(DB), { recursive: true });
rmSync(DB, { force: true });
rmSync(`${DB}-wal`, { force: true });
rmSync(`${DB}-shm`, { force: true });
const collector = await startCollector({
  host: '127.0.0.1',
  port: PORT,
  db: DB,
  sessionTimeoutMs: 30 * MIN,
  // No admin token: the fresh database gets a `default` project, whose keys come back to the caller (never to stdout).
  adminToken: null,
  logger: pino({ level: 'warn' }),
});
const project = collector.createdProject;
if (!project) throw new Error(`${DB} was emptied, so the collector should have created a project`);
const past = history(Date.now());
for (let i = 0; i < past.length; i += 500) {
  const res = await fetch(`${collector.url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${project.writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      events: past.slice(i, i + 500),
      sdk: { name: 'mcptrail-demo', version: '1' },
      dropped: i === 0 ? 12 : 0,
    }),
  });
  if (!res.ok) throw new Error(`demo history: ${res.status} ${await res.text()}`);
}
await liveTraffic({ projectKey: project.writeKey, endpoint: collector.url });
await flush();

process.stdout.write(
  `\nmcptrail demo: ${past.length} historical events over ${DAYS} days, ` +
    'plus live traffic from a tracked MCP server.\n' +
    `  Dashboard: ${collector.url}\n` +
    `  Read key:  ${project.readKey}\n` +
    `  Write key: ${project.writeKey}\n\n` +
    'Ctrl-C to stop.\n',
);
const stop = () => void collector.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
