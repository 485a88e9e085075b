import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { flush, track } from 'mcptrail';
import { z } from 'zod';
import { startCollector } from '../lib/collector-process.mjs';
const collector = await startCollector({ db: join(mkdtempSync(join(tmpdir(), 'p-')), 'b.db') });
const project = await collector.createProject('b');
const server = new McpServer({ name: 'bench', version: '1.0.0' });
server.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
if (process.env.TRACK) track(server, { projectKey: project.writeKey, endpoint: collector.url, ...(process.env.GZ ? { gzipAboveBytes: Number(process.env.GZ) } : {}) });
const [ct, st] = InMemoryTransport.createLinkedPair();
await server.connect(st);
const client = new Client({ name: 'bench-client', version: '1.0.0' });
await client.connect(ct);
const turn = () => new Promise((r) => setImmediate(r));
for (let i = 0; i < 2000; i++) { await turn(); await client.callTool({ name: 'echo', arguments: { text: `call ${i}` } }); }
await flush();
const modes = (process.env.MODES ?? 'untracked,none,str,sink,full').split(',');
const cpu = Object.fromEntries(modes.map((m) => [m, 0]));
const plainServer = new McpServer({ name: 'bench', version: '1.0.0' });
plainServer.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
const [pc, ps] = InMemoryTransport.createLinkedPair();
await plainServer.connect(ps);
const plain = new Client({ name: 'bench-client', version: '1.0.0' });
await plain.connect(pc);
for (let round = 0; round < 15; round++) for (const m of modes) {
  globalThis.__MODE = m;
  const cl = m === 'untracked' ? plain : client;
  const c0 = process.cpuUsage();
  for (let i = 0; i < 2000; i++) { await turn(); await cl.callTool({ name: 'echo', arguments: { text: `call ${i}` } }); }
  await flush();
  const c = process.cpuUsage(c0);
  cpu[m] += c.user + c.system;
}
for (const m of modes) console.log(m.padEnd(10), (cpu[m] / 30000).toFixed(2), 'µs/call');
await collector.stop();
process.exit(0);
