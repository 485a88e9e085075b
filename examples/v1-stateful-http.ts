/**
 * v1 SDK, stateful Streamable HTTP: one server and transport per
 * `mcp-session-id`. Events carry that session id; `identify` runs once per
 * session (until it names a user).
 *
 *   MCPTRAIL_KEY=wk_… npx tsx examples/v1-stateful-http.ts   # listens on PORT or 3002
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { track, type TrackOptions } from 'mcptrail';
import { z } from 'zod';
import { listen, serveWhenMain, trackOptions, type RunningExample } from './shared.js';

export function buildServer(): McpServer {
  const server = new McpServer({ name: 'notes-v1-stateful', version: '1.0.0' });
  const notes: string[] = [];
  server.registerTool(
    'add-note',
    { description: 'Remember a note', inputSchema: { text: z.string() } },
    async ({ text }) => {
      notes.push(text);
      return { content: [{ type: 'text', text: `${notes.length} note(s)` }] };
    },
  );
  return server;
}

export async function start(port = 0, options: TrackOptions = trackOptions()): Promise<RunningExample> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== '/mcp') return void res.writeHead(404).end();
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (existing) return void (await existing.handleRequest(req, res));
    if (req.method !== 'POST' || sessionId) return void res.writeHead(400).end('unknown session');
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void transports.set(id, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) transports.delete(transport.sessionId);
    };
    const server = track(buildServer(), options);
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  const running = await listen(http, port);
  return {
    url: running.url,
    close: async () => {
      for (const transport of transports.values()) await transport.close();
      await running.close();
    },
  };
}

await serveWhenMain(import.meta.url, 'v1 stateful MCP server', Number(process.env.PORT ?? 3002), start);
