import { describe, expect, it } from 'vitest';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { captureServerForSuite } from '../test-support/capture-server.js';
import { deliveryStats, flush, track } from './index.js';

describe('track() is safe to call on anything', () => {
  it('returns what it was given and never throws', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('hostile getter');
        },
        has() {
          throw new Error('hostile has');
        },
      },
    );
    for (const value of [null, undefined, 42, 'server', {}, { server: {} }, hostile]) {
      expect(() => track(value, { projectKey: 'k' })).not.toThrow();
      expect(track(value, { projectKey: 'k' })).toBe(value);
    }
  });

  it('leaves the server untouched without a project key, or when disabled', () => {
    const previous = process.env.MCPTRAIL_KEY;
    delete process.env.MCPTRAIL_KEY;
    try {
      const server = new McpServer({ name: 's', version: '1' });
      const map = (server.server as unknown as { _requestHandlers: Map<string, unknown> })._requestHandlers;
      const before = [...map.values()];
      track(server);
      track(new McpServer({ name: 's', version: '1' }), { projectKey: 'k', enabled: false });
      expect([...map.values()]).toEqual(before);
      expect(map.set).toBe(Map.prototype.set);
    } finally {
      if (previous !== undefined) process.env.MCPTRAIL_KEY = previous;
    }
  });
});

describe('hooks that fail', () => {
  const collector = captureServerForSuite();

  it('never change the answer; a throwing tags hook loses the tags, a throwing redact drops the event', async () => {
    const server = new McpServer({ name: 's', version: '1' });
    server.registerTool('t', {}, async () => ({ content: [{ type: 'text', text: 'fine' }] }));
    let redactCalls = 0;
    const sentBefore = deliveryStats().sent;
    track(server, {
      endpoint: collector().url,
      projectKey: 'hooks',
      tags: () => {
        throw new Error('tags broke');
      },
      properties: () => ({ ok: true }),
      redact: (event) => {
        if (++redactCalls === 3) throw new Error('redact broke');
        delete event.arguments; // edits in place, returns nothing: the event is kept
        return undefined;
      },
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(b);
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(a);
    expect(await client.callTool({ name: 't', arguments: {} })).toEqual({ content: [{ type: 'text', text: 'fine' }] });
    expect(await client.callTool({ name: 't', arguments: {} })).toEqual({ content: [{ type: 'text', text: 'fine' }] });
    await client.close();
    await flush();
    const events = collector().accepted();
    // initialize and the first call arrive; the second call's event was dropped by the throwing redact.
    expect(events.map((e) => e.method)).toEqual(['initialize', 'tools/call']);
    expect(
      events.every(
        (e) =>
          e.tags === undefined &&
          (e.properties as { ok?: unknown } | undefined)?.ok === true &&
          e.arguments === undefined,
      ),
    ).toBe(true);
    expect(deliveryStats().sent - sentBefore).toBe(2);
  });
});
