/**
 * The public API against a real loopback endpoint: servers tracked before
 * shutdown() keep delivering after it.
 */
import { describe, expect, it } from 'vitest';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { captureServerForSuite } from '../test-support/capture-server.js';
import { deliveryStats, flush, shutdown, track, type TrackOptions } from './index.js';

const collector = captureServerForSuite();

async function connected(options: TrackOptions): Promise<Client> {
  const server = new McpServer({ name: 's', version: '1' });
  server.registerTool('t', {}, async () => ({ content: [{ type: 'text', text: 'fine' }] }));
  track(server, { endpoint: collector().url, ...options });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const client = new Client({ name: 'c', version: '1' });
  await client.connect(a);
  return client;
}

const calls = (key: string) => collector().accepted().filter((e) => e.method === 'tools/call' && e.tags?.key === key);

describe('after shutdown()', () => {
  it('a server tracked before it keeps delivering: its events go to a new queue, not a stopped one', async () => {
    const client = await connected({ projectKey: 'after-shutdown', tags: () => ({ key: 'after-shutdown' }) });
    await client.callTool({ name: 't', arguments: {} });
    await shutdown();
    expect(calls('after-shutdown')).toHaveLength(1);
    await client.callTool({ name: 't', arguments: {} });
    await client.callTool({ name: 't', arguments: {} });
    await flush();
    expect(calls('after-shutdown')).toHaveLength(3);
    expect(deliveryStats()).toMatchObject({ queued: 0, dropped: 0 });
    await client.close();
  });
});
