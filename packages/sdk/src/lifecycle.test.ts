/**
 * shutdown() against a real loopback endpoint: once-only and terminal, like
 * OpenTelemetry's span processors. What it could deliver is delivered; what
 * comes after is dropped and counted, never sent, and no queue comes back.
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
  track(server, { endpoint: collector().url, delivery: { flushIntervalMs: 10 }, ...options });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const client = new Client({ name: 'c', version: '1' });
  await client.connect(a);
  return client;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('shutdown()', () => {
  it('is once-only and terminal: later events dropped and counted, nothing more sent, keep-alive closed', async () => {
    const client = await connected({ projectKey: 'before' });
    await client.callTool({ name: 't', arguments: {} });
    const first = shutdown();
    expect(shutdown(1)).toBe(first);
    await first;
    // Everything from before the call was delivered: initialize and the call.
    expect(
      collector()
        .accepted()
        .map((e) => e.method),
    ).toEqual(['initialize', 'tools/call']);
    expect(deliveryStats()).toEqual({ queued: 0, queuedBytes: 0, sent: 2, dropped: 0 });
    await until(() => collector().openConnections === 0);

    // A server tracked before, and one tracked after: their events go nowhere, counted.
    await client.callTool({ name: 't', arguments: {} });
    await client.callTool({ name: 't', arguments: {} });
    const late = await connected({ projectKey: 'after' });
    await late.callTool({ name: 't', arguments: {} });
    // flush() would send at once from a live queue; there is none.
    await flush();
    expect(deliveryStats()).toEqual({ queued: 0, queuedBytes: 0, sent: 2, dropped: 4 });
    expect(collector().batches).toHaveLength(1);
    expect(collector().openConnections).toBe(0);
    await Promise.all([client.close(), late.close()]);
  });
});
