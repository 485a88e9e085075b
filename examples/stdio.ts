/**
 * v1 SDK over stdio: one connection, one session id. Run it as an MCP
 * client's child process; events are drained on exit (stdin closed,
 * SIGTERM, SIGINT).
 *
 *   MCPTRAIL_KEY=wk_… npx tsx examples/stdio.ts
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { track } from 'mcptrail';
import { z } from 'zod';

const server = track(new McpServer({ name: 'dice-stdio', version: '1.0.0' }), {
  identify: () => (process.env.USER_ID ? { userId: process.env.USER_ID } : null),
});
server.registerTool(
  'roll',
  { description: 'Roll a die', inputSchema: { sides: z.number().int().min(2) } },
  async ({ sides }) => ({
    content: [{ type: 'text', text: String(1 + Math.floor(Math.random() * sides)) }],
  }),
);
server.registerTool(
  'fail',
  { description: 'Always fails', inputSchema: { reason: z.string() } },
  async ({ reason }) => {
    throw new Error(reason);
  },
);
await server.connect(new StdioServerTransport());
