/**
 * fastmcp over HTTP stream. Stateless when started with
 * `FASTMCP_STATELESS=true`, `--stateless true` or `httpStream.stateless` —
 * detected by track() without the `stateless` option.
 *
 *   MCPTRAIL_KEY=wk_… npx tsx examples/fastmcp.ts --port 3004 [--stateless true] [--conversation-token]
 */
import { FastMCP } from 'fastmcp';
import { track } from 'mcptrail';
import { z } from 'zod';
import { identifyByBearer } from './shared.js';

const server = new FastMCP({ name: 'weather-fastmcp', version: '4.0.0' });
server.addTool({
  name: 'forecast',
  description: 'Forecast for a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => `Sunny in ${city}`,
});
track(server, { identify: identifyByBearer, conversationToken: process.argv.includes('--conversation-token') });
const port = Number(process.argv[process.argv.indexOf('--port') + 1] || process.env.PORT || 3004);
await server.start({ transportType: 'httpStream', httpStream: { port, host: '127.0.0.1' } });
console.log(`fastmcp server on http://127.0.0.1:${port}/mcp`);
