/**
 * flush() under traffic that keeps arriving: it waits for the requests
 * finished before it was called, not for every request in the process.
 */
import { describe, expect, it } from 'vitest';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { captureServerForSuite } from '../test-support/capture-server.js';
import { deliveryStats, flush, track, type UserIdentity } from './index.js';
import { recordsSettled } from './tracker.js';

const collector = captureServerForSuite();

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('flush() under concurrent traffic', () => {
  it('does not wait for requests that finish after it was called', async () => {
    // `slow` requests are identified only when the test says so: until then their events are outstanding.
    let release!: () => void;
    const released = new Promise<UserIdentity>((resolve) => {
      release = () => resolve({ userId: 'slow-user' });
    });
    const server = new McpServer({ name: 's', version: '1' });
    server.registerTool('fast', {}, async () => ({ content: [{ type: 'text', text: 'fast' }] }));
    server.registerTool('slow', {}, async () => ({ content: [{ type: 'text', text: 'slow' }] }));
    track(server, {
      endpoint: collector().url,
      projectKey: 'flush-traffic',
      stateless: true,
      identifyTimeoutMs: 60_000,
      delivery: { flushIntervalMs: 60_000 },
      identify: (request) => (request.params?.name === 'slow' ? released : { userId: 'fast-user' }),
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(b);
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(a);
    await flush();
    const before = deliveryStats().queued + deliveryStats().sent;

    await client.callTool({ name: 'fast', arguments: {} });
    let settled = false;
    void recordsSettled().then(() => {
      settled = true;
    });
    const flushed = flush(30_000);
    // A request finished after the flush began, whose event waits on identify.
    await client.callTool({ name: 'slow', arguments: {} });
    // The fast event reaches the queue; everything its settling triggers runs before the next macrotask.
    while (deliveryStats().queued + deliveryStats().sent <= before) await turn();
    await turn();
    expect(settled).toBe(true);

    // And that flush() delivers the fast event while the slow one is still outstanding.
    await flushed;
    expect(
      collector()
        .accepted()
        .filter((e) => e.method === 'tools/call')
        .map((e) => e.user?.id),
    ).toEqual(['fast-user']);

    release();
    await flush();
    expect(
      collector()
        .accepted()
        .filter((e) => e.method === 'tools/call')
        .map((e) => e.user?.id),
    ).toEqual(['fast-user', 'slow-user']);
    await client.close();
  });
});
