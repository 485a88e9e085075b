/**
 * Exit behaviour in real child processes running the built SDK: events are
 * drained on the way out, a signal still ends the process (or is left to the
 * host's own handler), and a dead collector never keeps the process alive.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptureServer, type CaptureServer } from '../../test-support/capture-server.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/** A tracked v1 server answering `calls` requests in-process, then doing `then`. */
const script = (then: string) => `
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { track } from 'mcptrail';
const server = track(new McpServer({ name: 'exit', version: '1' }), { endpoint: process.env.ENDPOINT, projectKey: 'k' });
server.registerTool('t', {}, async () => ({ content: [] }));
const [a, b] = InMemoryTransport.createLinkedPair();
await server.connect(b);
const client = new Client({ name: 'c', version: '1' });
await client.connect(a);
for (let i = 0; i < 3; i++) await client.callTool({ name: 't', arguments: {} });
${then}
`;

function run(source: string, endpoint: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { cwd: repo, env: { ...process.env, ENDPOINT: endpoint }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, out })));
}

describe('on the way out', () => {
  let collector: CaptureServer;
  beforeAll(async () => {
    collector = await startCaptureServer();
  });
  afterAll(async () => {
    await collector.close();
  });

  it('drains on beforeExit when the work is done', async () => {
    collector.batches.length = 0;
    const result = await run(script('await client.close();'), collector.url);
    expect(result.code).toBe(0);
    expect(collector.accepted().filter((e) => e.method === 'tools/call')).toHaveLength(3);
  });

  it('drains on SIGINT and still exits by the signal when no one else listens', async () => {
    collector.batches.length = 0;
    const result = await run(script("setInterval(() => {}, 1000); process.kill(process.pid, 'SIGINT');"), collector.url);
    expect(result.signal).toBe('SIGINT');
    expect(collector.accepted().filter((e) => e.method === 'tools/call')).toHaveLength(3);
  });

  it("leaves SIGTERM to the host's own handler", async () => {
    collector.batches.length = 0;
    const result = await run(
      script("setInterval(() => {}, 1000); process.on('SIGTERM', () => setTimeout(() => process.exit(7), 300)); process.kill(process.pid, 'SIGTERM');"),
      collector.url,
    );
    expect(result.code).toBe(7);
    expect(collector.accepted().filter((e) => e.method === 'tools/call')).toHaveLength(3);
  });

  it('never keeps the process alive when the collector is down', async () => {
    const result = await run(script('await client.close();'), 'http://127.0.0.1:9');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/\[mcptrail\] \d+ event\(s\) not delivered at exit/);
  });
});
