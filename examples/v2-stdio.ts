/**
 * v2 SDK over stdio with `serveStdio`: the factory runs per connection (and
 * for a discarded `server/discover` probe); call track() inside it. A 2025
 * connection is one session; 2026-07-28 requests are stateless.
 *
 *   MCPTRAIL_KEY=wk_… npx tsx examples/v2-stdio.ts
 */
import { McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { track } from 'mcptrail';
import { z } from 'zod';

serveStdio(() => {
  const server = new McpServer({ name: 'dice-v2-stdio', version: '2.0.0' });
  server.registerTool(
    'roll',
    { description: 'Roll a die', inputSchema: z.object({ sides: z.number().int().min(2) }) },
    async ({ sides }) => ({
      content: [{ type: 'text', text: String(1 + Math.floor(Math.random() * sides)) }],
    }),
  );
  server.registerTool(
    'fail',
    { description: 'Always fails', inputSchema: z.object({ reason: z.string() }) },
    async ({ reason }) => {
      throw new Error(reason);
    },
  );
  return track(server, { identify: () => (process.env.USER_ID ? { userId: process.env.USER_ID } : null) });
});
