import { McpServer as McpServerV2, InMemoryTransport as IMT2 } from '@modelcontextprotocol/server';
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { z } from 'zod';
import { track, flush, shutdown } from '/work/main/packages/sdk/src/index.ts';
import { startCaptureServer } from '/work/main/packages/sdk/test-support/capture-server.ts';

const cap = await startCaptureServer();
for (const [label, S, C, T] of [['v1', McpServer, Client, InMemoryTransport], ['v2', McpServerV2, ClientV2, IMT2]] as const) {
  const server = new (S as any)({ name: 'probe', version: '1.0.0' });
  (server as any).registerTool('echo', { inputSchema: (label === 'v1' ? { text: z.string() } : z.object({ text: z.string() })) }, async ({ text }: any) => ({ content: [{ type: 'text', text }] }));
  track(server, { projectKey: 'k', endpoint: cap.url, identify: () => ({ userId: 'u1' }) });
  (server as any).registerTool('boom', { }, async () => { throw new Error('kaboom'); });
  const [ct, st] = (T as any).createLinkedPair();
  await server.connect(st);
  const client = new (C as any)({ name: 'probe-client', version: '9.9' });
  await client.connect(ct);
  console.log(label, JSON.stringify(await client.callTool({ name: 'echo', arguments: { text: 'hi', password: 'x' } })));
  try { console.log(JSON.stringify(await client.callTool({ name: 'boom', arguments: {} }))); } catch (e) { console.log('threw', (e as Error).message); }
  await client.close();
}
await flush();
for (const e of cap.accepted()) console.log(JSON.stringify(e).slice(0, 400));
await shutdown(); await cap.close();
