/**
 * The built SDK against a real collector process, through a proxy (in the
 * test, node:http) that misbehaves as collectors, load balancers and captive
 * portals do: 500s, 429 with Retry-After, a 200 HTML page, a trickled answer,
 * no answer, a reset, 413 over a size. Every event is stored once or counted
 * as dropped, and the SDK's counts equal what the collector stored. And text
 * the collector refuses as it is (NUL, lone surrogates) is made storable first.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DeliveryOptions, UserIdentity } from 'mcptrail';
import { deliveryStats, flush, track } from 'mcptrail';
import type { SessionDetailResponse, SessionListResponse, StatsResponse, UserListResponse } from '@mcptrail/protocol';
import {
  startCaptureServer,
  type CaptureServer,
  type ReceivedBatch,
  type Reply,
} from '../../packages/sdk/test-support/capture-server.js';
import { startCollector, type CollectorProcess } from '../support/collector.js';

let collector: CollectorProcess;
let proxy: CaptureServer;
/** How each project's requests are answered: by the request's number within that project. */
const faults = new Map<string, (batch: ReceivedBatch, n: number) => Reply>();
const requests = new Map<string, number>();

beforeAll(async () => {
  collector = await startCollector();
  proxy = await startCaptureServer({ upstream: collector.url });
  proxy.reply((batch) => {
    const key = String(batch.headers.authorization);
    const n = requests.get(key) ?? 0;
    requests.set(key, n + 1);
    return faults.get(key)?.(batch, n) ?? { forward: true };
  });
});
afterAll(async () => {
  await proxy?.close();
  await collector?.stop();
});

async function trackedClient(
  options: {
    projectKey: string;
    delivery?: DeliveryOptions;
    identify?: (request: { params?: Record<string, unknown> }) => UserIdentity | null;
  },
  clientName = 'c',
) {
  const server = new McpServer({ name: 'faults', version: '1' });
  server.registerTool('note', { inputSchema: { text: z.string() } }, async () => ({
    content: [{ type: 'text', text: 'ok' }],
  }));
  track(server, { endpoint: proxy.url, ...options });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const client = new Client({ name: clientName, version: '1' });
  await client.connect(a);
  return client;
}

const forward: Reply = { forward: true };
const html: Reply = {
  status: 200,
  headers: { 'content-type': 'text/html' },
  text: '<html><body>Sign in to continue</body></html>',
};
const LIMIT = 4 * 1024;

const SCENARIOS: Array<{
  fault: string;
  answer: (batch: ReceivedBatch, n: number) => Reply;
  delivery?: DeliveryOptions;
  /** Text length of each tools/call's argument. */
  sizes?: number[];
  stored: number;
  dropped: number;
}> = [
  {
    fault: 'answers 500 twice',
    answer: (_b, n) => (n < 2 ? { status: 500, text: '{"error":{"code":"internal","message":"boom"}}' } : forward),
    stored: 7,
    dropped: 0,
  },
  {
    fault: 'answers 429 with Retry-After: 1',
    answer: (_b, n) => (n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : forward),
    stored: 7,
    dropped: 0,
  },
  // Every attempt of the first batch's round meets the portal: that batch (initialize + 5 calls) is dropped and
  // counted.
  {
    fault: 'answers 200 with an HTML page',
    answer: (_b, n) => (n < 2 ? html : forward),
    delivery: { maxAttempts: 2 },
    stored: 1,
    dropped: 6,
  },
  {
    fault: 'trickles its answer a byte every 100 ms',
    answer: (_b, n) => (n === 0 ? { fault: 'trickle', everyMs: 100 } : forward),
    delivery: { requestTimeoutMs: 500 },
    stored: 7,
    dropped: 0,
  },
  {
    fault: 'never answers',
    answer: (_b, n) => (n === 0 ? { fault: 'hang' } : forward),
    delivery: { requestTimeoutMs: 500 },
    stored: 7,
    dropped: 0,
  },
  {
    fault: 'resets the connection',
    answer: (_b, n) => (n === 0 ? { fault: 'reset' } : forward),
    stored: 7,
    dropped: 0,
  },
  {
    fault: `answers 413 to bodies over ${LIMIT} bytes`,
    answer: (batch) =>
      batch.bytes > LIMIT ? { status: 413, text: '<html>413 Request Entity Too Large</html>' } : forward,
    // The fourth call is too large alone.
    sizes: [1000, 1000, 1000, 6000, 1000],
    stored: 6,
    dropped: 1,
  },
];

describe('through a misbehaving proxy to a real collector', () => {
  it.each(SCENARIOS)(
    'the proxy $fault: every event stored once or counted as dropped; the counts agree',
    async ({ fault, answer, delivery, sizes, stored, dropped }) => {
      const project = await collector.createProject(fault);
      faults.set(`Bearer ${project.writeKey}`, answer);
      const before = deliveryStats();
      // One batch for the first flush: the interval never fires on its own.
      const client = await trackedClient({
        projectKey: project.writeKey,
        delivery: { flushIntervalMs: 60_000, ...delivery },
      });
      for (const size of sizes ?? [10, 10, 10, 10, 10])
        await client.callTool({ name: 'note', arguments: { text: 'x'.repeat(size) } });
      await flush(20_000);
      // One more event carries what the first batches lost to the collector.
      await client.callTool({ name: 'note', arguments: { text: 'last' } });
      await flush(20_000);
      await client.close();

      const after = deliveryStats();
      const stats = await collector.get<StatsResponse>('/v1/stats', project.readKey);
      expect({ stored: stats.events, dropped: stats.dropped }).toEqual({ stored, dropped });
      expect({ sent: after.sent - before.sent, dropped: after.dropped - before.dropped, queued: after.queued }).toEqual(
        { sent: stored, dropped, queued: 0 },
      );
      // Acknowledged only what the collector stored, once.
      const acknowledged = proxy.batches.filter(
        (b) => b.headers.authorization === `Bearer ${project.writeKey}` && b.delivered,
      );
      expect(acknowledged.reduce((n, b) => n + b.events.length, 0)).toBe(stored);
    },
  );
});

describe('text the collector would refuse as it is', () => {
  it('ids and names from identify, client and tool names with NUL or lone surrogates: stored, made valid', async () => {
    const project = await collector.createProject('unstorable text');
    const client = await trackedClient(
      { projectKey: project.writeKey, identify: () => ({ userId: 'u\u0000-1', userName: 'Ada \uD800Lovelace' }) },
      'bad\u0000client\uDBFF',
    );
    await client.callTool({ name: 'note', arguments: { text: 'hi' } });
    await client.callTool({ name: 'gh\uDC00ost', arguments: {} }).catch(() => undefined);
    await client.close();
    const before = deliveryStats().dropped;
    await flush();
    const stats = await collector.get<StatsResponse>('/v1/stats', project.readKey);
    // initialize and both calls, none rejected.
    expect(stats.events).toBe(3);
    expect(deliveryStats().dropped).toBe(before);
    const { users } = await collector.get<UserListResponse>('/v1/users', project.readKey);
    expect(users.map((u) => ({ id: u.id, name: u.name, clients: u.clients }))).toEqual([
      { id: 'u-1', name: 'Ada \uFFFDLovelace', clients: ['badclient\uFFFD'] },
    ]);
    const { sessions } = await collector.get<SessionListResponse>('/v1/sessions', project.readKey);
    const detail = await collector.get<SessionDetailResponse>(`/v1/sessions/${sessions[0]!.id}`, project.readKey);
    expect(detail.events.filter((e) => e.method === 'tools/call').map((e) => e.target)).toEqual([
      'note',
      'gh\uFFFDost',
    ]);
  });
});
