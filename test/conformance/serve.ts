/**
 * Runs one conformance server on 127.0.0.1, track()ed with mcptrail (collector
 * and key from MCPTRAIL_ENDPOINT and MCPTRAIL_KEY):
 *
 *   npx tsx test/conformance/serve.ts v1|v2 [--conversation-token]   # PORT or a free port
 *
 * Prints `listening on <url>`. On SIGTERM it stops taking requests, delivers
 * what mcptrail holds and exits.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { shutdown, type TrackOptions } from 'mcptrail';
import type { ConformanceServer } from './servers/line.js';
import { v1Stateless } from './servers/v1-stateless.js';
import { v2CreateMcpHandler } from './servers/v2-create-mcp-handler.js';

const LINES: Record<string, (options: TrackOptions) => ConformanceServer> = { v1: v1Stateless, v2: v2CreateMcpHandler };

const [lineName = '', ...flags] = process.argv.slice(2);
const line = LINES[lineName];
if (!line || flags.some((flag) => flag !== '--conversation-token')) {
  console.error(`usage: serve.ts ${Object.keys(LINES).join('|')} [--conversation-token]`);
  process.exit(2);
}

const server = line({ conversationToken: flags.includes('--conversation-token') });
const http = createServer((req, res) => {
  if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') return void res.writeHead(404).end();
  server.handle(req, res).catch((error: unknown) => {
    console.error('request failed:', error);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`);
});

process.on('SIGTERM', () => {
  http.close();
  http.closeAllConnections();
  void server
    .close()
    .then(() => shutdown())
    .finally(() => process.exit(0));
});
