/**
 * v1 SDK (`@modelcontextprotocol/sdk`), stateless Streamable HTTP: a fresh
 * server and transport per request, no session id. track() runs per server;
 * every server shares one delivery queue, and `identify` runs per request.
 *
 *   MCPTRAIL_KEY=wk_… npx tsx examples/v1-stateless-http.ts [--conversation-token]   # listens on PORT or 3001
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { track, type TrackOptions } from 'mcptrail';
import { z } from 'zod';
import { listen, serveWhenMain, trackOptions, type RunningExample } from './shared.js';

export function buildServer(): McpServer {
  const server = new McpServer({ name: 'weather-v1-stateless', version: '1.0.0' });
  server.registerTool(
    'forecast',
    { description: 'Forecast for a city', inputSchema: { city: z.string() } },
    async ({ city }) => ({
      content: [{ type: 'text', text: `Sunny in ${city}` }],
    }),
  );
  server.registerTool(
    'fail',
    { description: 'Always fails', inputSchema: { reason: z.string() } },
    async ({ reason }) => {
      throw new Error(reason);
    },
  );
  return server;
}

export async function start(port = 0, options: TrackOptions = trackOptions()): Promise<RunningExample> {
  const http = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== '/mcp') return void res.writeHead(404).end();
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    const server = track(buildServer(), options);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  return listen(http, port);
}

await serveWhenMain(import.meta.url, 'v1 stateless MCP server', Number(process.env.PORT ?? 3001), start);
