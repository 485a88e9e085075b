/**
 * v2 SDK (`@modelcontextprotocol/server`), `createMcpHandler`: the factory
 * runs per request, for 2026-07-28 (modern) and 2025 (legacy stateless)
 * requests alike. Call track() inside the factory; every per-request server
 * shares one delivery queue.
 *
 *   MCPTRAIL_KEY=wk_… npx tsx examples/v2-create-mcp-handler.ts [--conversation-token]   # listens on PORT or 3003
 */
import { createServer } from 'node:http';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { track, type TrackOptions } from 'mcptrail';
import { z } from 'zod';
import { listen, serveWhenMain, trackOptions, type RunningExample } from './shared.js';

export function buildServer(): McpServer {
  const server = new McpServer({ name: 'weather-v2', version: '2.0.0' });
  server.registerTool(
    'forecast',
    { description: 'Forecast for a city', inputSchema: z.object({ city: z.string() }) },
    async ({ city }) => ({
      content: [{ type: 'text', text: `Sunny in ${city}` }],
    }),
  );
  server.registerTool(
    'fail',
    { description: 'Always fails', inputSchema: z.object({ reason: z.string() }) },
    async ({ reason }) => {
      throw new Error(reason);
    },
  );
  return server;
}

export async function start(port = 0, options: TrackOptions = trackOptions()): Promise<RunningExample> {
  const handler = createMcpHandler(() => track(buildServer(), options));
  const node = toNodeHandler(handler);
  const http = createServer((req, res) => {
    if (req.url !== '/mcp') return void res.writeHead(404).end();
    void node(req, res);
  });
  const running = await listen(http, port);
  return {
    url: running.url,
    close: async () => {
      await handler.close();
      await running.close();
    },
  };
}

await serveWhenMain(import.meta.url, 'v2 createMcpHandler server', Number(process.env.PORT ?? 3003), start);
