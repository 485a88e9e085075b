/**
 * One suite, both SDK lines (sdk-v1.test.ts, sdk-v2.test.ts call it): a real
 * client talks to a real tracked server over the in-memory transport, and
 * the events the SDK sends are checked at a real HTTP endpoint.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WireEvent } from '@mcptrail/protocol';
import { flush, shutdown, track } from '../index.js';
import type { TrackOptions } from '../types.js';
import { startCaptureServer, type CaptureServer } from '../../test-support/capture-server.js';
import type { AnyClient, AnyServer, SdkLine } from '../../test-support/sdk-lines.js';

async function connect(
  line: SdkLine,
  server: AnyServer,
  clientName?: string,
): Promise<{ client: AnyClient; received: string[] }> {
  const [clientTransport, serverTransport] = line.linkedPair();
  await server.connect(serverTransport);
  const client = line.client(clientName);
  await client.connect(clientTransport);
  // Every message the server sent, as the client received it.
  const received: string[] = [];
  const t = clientTransport as { onmessage?: (message: unknown, extra?: unknown) => void };
  const inner = t.onmessage;
  t.onmessage = (message, extra) => {
    received.push(JSON.stringify(message));
    inner?.(message, extra);
  };
  return { client, received };
}

async function settle<T>(p: Promise<T>): Promise<unknown> {
  try {
    return { ok: await p };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The same calls, tool/prompt/resource, errors included. */
async function exercise(client: AnyClient): Promise<unknown[]> {
  return [
    await settle(client.listTools()),
    await settle(client.callTool({ name: 'echo', arguments: { text: 'hello', password: 'hunter2' } })),
    await settle(client.callTool({ name: 'fails', arguments: { text: 'x' } })),
    await settle(client.callTool({ name: 'soft-fail', arguments: { text: 'fly' } })),
    await settle(client.callTool({ name: 'picture', arguments: { text: 'x' } })),
    await settle(client.callTool({ name: 'wait', arguments: { text: 'x' } })),
    await settle(client.callTool({ name: 'echo', arguments: { wrong: 1 } })),
    await settle(client.callTool({ name: 'missing-tool', arguments: {} })),
    await settle(client.getPrompt({ name: 'greet', arguments: { who: 'ada' } })),
    await settle(client.readResource({ uri: 'file:///readme.md' })),
  ];
}

export function runAdapterContract(line: SdkLine): void {
  describe(`${line.name} servers over the in-memory transport`, () => {
    let collector: CaptureServer;
    let key = 0;
    const options = (extra: TrackOptions = {}): TrackOptions => ({
      endpoint: collector.url,
      projectKey: `key-${line.name}-${++key}`,
      ...extra,
    });
    const sent = async (): Promise<WireEvent[]> => {
      await flush();
      return collector.takeAccepted();
    };

    beforeAll(async () => {
      collector = await startCaptureServer();
    });
    // Each test has keys of its own: queues left from one test never reach the next one's batches.
    afterEach(async () => {
      await flush();
      collector.batches.length = 0;
    });
    afterAll(async () => {
      await shutdown();
      await collector.close();
    });

    it('sends one event per request with method, target, errors, client, server and a connection session', async () => {
      const server = line.highLevel();
      track(server, options());
      const { client } = await connect(line, server, 'Claude Desktop');
      await exercise(client);
      await client.close();
      const events = await sent();
      const byTarget = (method: string, target: string | null) =>
        events.filter((e) => e.method === method && (e.target ?? null) === target);

      expect(events.map((e) => e.method)).toContain('initialize');
      expect(byTarget('tools/call', 'echo')[0]).toMatchObject({
        isError: false,
        arguments: { text: 'hello', password: '[redacted]' },
      });
      expect(byTarget('tools/call', 'echo')[0]?.result).toEqual({ content: [{ type: 'text', text: 'hello' }] });
      const fails = byTarget('tools/call', 'fails')[0];
      expect(fails?.isError).toBe(true);
      expect(fails?.error?.message).toContain('tool exploded');
      expect(byTarget('tools/call', 'soft-fail')[0]).toMatchObject({
        isError: true,
        error: { type: 'ToolError', message: 'cannot fly' },
      });
      expect(byTarget('tools/call', 'picture')[0]?.result).toEqual({
        content: [{ type: 'image', mimeType: 'image/png', omitted: 'binary', bytes: 20 }],
      });
      expect(byTarget('tools/call', 'missing-tool')[0]?.isError).toBe(true);
      expect(byTarget('prompts/get', 'greet')[0]).toMatchObject({ isError: false, arguments: { who: 'ada' } });
      expect(byTarget('resources/read', 'file:///readme.md')).toHaveLength(1);
      expect(byTarget('tools/list', null)).toHaveLength(1);

      const sessions = new Set(events.map((e) => e.sessionId));
      expect(sessions.size).toBe(1);
      expect([...sessions][0]).toMatch(/^[\w-]{16}$/);
      for (const event of events) {
        expect(event.client).toEqual({ name: 'Claude Desktop', version: '0.1.0' });
        expect(event.server).toEqual({ name: 'contract-server', version: '1.2.3' });
        expect(event.transport).toBe('in-memory');
        expect(typeof event.protocolVersion).toBe('string');
      }
      // The duration is the handler's: a tool that takes 25 ms is not reported faster (timers may fire up to 1 ms
      // early).
      expect(byTarget('tools/call', 'wait')[0]!.durationMs).toBeGreaterThanOrEqual(24);
      expect(byTarget('tools/call', 'wait')[0]!.durationMs).toBeLessThan(5_000);
    });

    it('gives each connection its own session id', async () => {
      const a = line.highLevel();
      const b = line.highLevel();
      const opts = options();
      track(a, opts);
      track(b, opts);
      const ca = await connect(line, a);
      const cb = await connect(line, b);
      await ca.client.callTool({ name: 'echo', arguments: { text: 'a' } });
      await cb.client.callTool({ name: 'echo', arguments: { text: 'b' } });
      await ca.client.close();
      await cb.client.close();
      const events = (await sent()).filter((e) => e.method === 'tools/call');
      expect(events).toHaveLength(2);
      expect(events[0]?.sessionId).not.toBe(events[1]?.sessionId);
    });

    it('catches handlers registered after track(), on McpServer and on the low-level Server', async () => {
      const high = line.highLevel();
      track(high, options());
      line.addTool(high, 'late', ({ text }) => ({ content: [{ type: 'text', text: `late ${text}` }] }));
      const low = line.lowLevel();
      track(low, options());
      line.setLowLevelHandlers(low);
      const h = await connect(line, high);
      const l = await connect(line, low);
      expect(await h.client.callTool({ name: 'late', arguments: { text: 'x' } })).toEqual({
        content: [{ type: 'text', text: 'late x' }],
      });
      await l.client.callTool({ name: 'anything' });
      await h.client.close();
      await l.client.close();
      const events = await sent();
      expect(
        events
          .filter((e) => e.method === 'tools/call')
          .map((e) => e.target)
          .sort(),
      ).toEqual(['anything', 'late']);
      expect(events.find((e) => e.target === 'anything')?.server).toEqual({ name: 'low-server', version: '0.0.1' });
    });

    it('is harmless when called twice: one event per request', async () => {
      const server = line.highLevel();
      const opts = options();
      expect(track(server, opts)).toBe(server);
      expect(track(server, opts)).toBe(server);
      const { client } = await connect(line, server);
      await client.callTool({ name: 'echo', arguments: { text: 'once' } });
      await client.close();
      expect((await sent()).filter((e) => e.method === 'tools/call')).toHaveLength(1);
    });

    it('leaves every answer byte-for-byte the same', async () => {
      const run = async (tracked: boolean) => {
        const server = line.highLevel();
        if (tracked) track(server, options({ identify: () => ({ userId: 'u' }) }));
        const { client, received } = await connect(line, server);
        const results = await exercise(client);
        await client.close();
        return { results, received };
      };
      const plain = await run(false);
      const tracked = await run(true);
      expect(tracked.received).toEqual(plain.received);
      expect(tracked.results).toEqual(plain.results);
      expect((await sent()).length).toBeGreaterThanOrEqual(9);
    });

    it('identifies once per session until a user is found; a throwing identify changes nothing', async () => {
      let calls = 0;
      const server = line.highLevel();
      track(server, options({ identify: () => (++calls >= 2 ? { userId: 'ada', userName: 'Ada' } : null) }));
      const { client } = await connect(line, server);
      for (let i = 0; i < 4; i++) await client.callTool({ name: 'echo', arguments: { text: String(i) } });
      await client.close();
      const users = (await sent()).filter((e) => e.method === 'tools/call').map((e) => e.user?.id ?? null);
      // initialize: null, 1st call: ada (2nd identify), then cached.
      expect(users).toEqual(['ada', 'ada', 'ada', 'ada']);
      expect(calls).toBe(2);

      const throwing = line.highLevel();
      track(
        throwing,
        options({
          identify: () => {
            throw new Error('identify broke');
          },
        }),
      );
      const t = await connect(line, throwing);
      expect(await t.client.callTool({ name: 'echo', arguments: { text: 'still' } })).toEqual({
        content: [{ type: 'text', text: 'still' }],
      });
      await t.client.close();
      const throwingEvents = await sent();
      // initialize and the call, both sent, neither with a user.
      expect(throwingEvents.map((e) => e.method)).toEqual(['initialize', 'tools/call']);
      expect(throwingEvents.every((e) => e.user === undefined)).toBe(true);
    });

    it('sends the event anonymous when identify never answers', async () => {
      const server = line.highLevel();
      track(server, options({ identify: () => new Promise(() => undefined), identifyTimeoutMs: 20 }));
      const { client } = await connect(line, server);
      expect(await client.callTool({ name: 'echo', arguments: { text: 'x' } })).toEqual({
        content: [{ type: 'text', text: 'x' }],
      });
      await client.close();
      const call = (await sent()).find((e) => e.method === 'tools/call');
      expect(call?.user).toBeUndefined();
    });

    it('applies capture options, tags, properties and the redact hook', async () => {
      const server = line.highLevel();
      track(
        server,
        options({
          capture: { results: false, sensitiveKeys: ['text'] },
          tags: (request) => ({ method: request.method }),
          properties: (_request, context) => ({
            session: context.sessionId ?? null,
            client: context.clientInfo?.name ?? null,
          }),
          redact: (event) => (event.target === 'fails' ? null : event),
        }),
      );
      const { client } = await connect(line, server, 'tagger');
      await client.callTool({ name: 'echo', arguments: { text: 'secret-ish' } });
      await settle(client.callTool({ name: 'fails', arguments: { text: 'x' } }));
      await client.close();
      const events = await sent();
      expect(events.find((e) => e.target === 'fails')).toBeUndefined();
      const echo = events.find((e) => e.target === 'echo');
      expect(echo?.arguments).toEqual({ text: '[redacted]' });
      expect(echo?.result).toBeUndefined();
      expect(echo?.tags).toEqual({ method: 'tools/call' });
      expect(echo?.properties).toEqual({ session: null, client: 'tagger' });
    });
  });
}
