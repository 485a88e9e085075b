/**
 * identify() answers, and client and tool names, that the collector would
 * refuse as they are (a userName that is not a string, NUL, lone surrogates,
 * a clip through a surrogate pair) are made storable rather than sent as they are.
 */
import { describe, expect, it } from 'vitest';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { validateEvent } from '@mcptrail/protocol';
import { captureServerForSuite } from '../../test-support/capture-server.js';
import { flush, track, type TrackOptions, type UserIdentity } from '../index.js';

const collector = captureServerForSuite();

async function connected(options: TrackOptions, clientName = 'c'): Promise<Client> {
  const server = new McpServer({ name: 's', version: '1' });
  server.registerTool('t', {}, async () => ({ content: [{ type: 'text', text: 'fine' }] }));
  track(server, { endpoint: collector().url, ...options });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const client = new Client({ name: clientName, version: '1' });
  await client.connect(a);
  return client;
}

const calls = (key: string) =>
  collector()
    .accepted()
    .filter((e) => e.method === 'tools/call' && e.tags?.key === key);
const argument = (request: { params?: Record<string, unknown> }) =>
  (request.params?.arguments as { user?: unknown } | undefined)?.user;

describe('identify() answers', () => {
  it('a userName that is not a string is left out; the event is still sent, with the user', async () => {
    const client = await connected({
      projectKey: 'identify-name',
      stateless: true,
      tags: () => ({ key: 'identify-name' }),
      identify: (request) => ({ userId: 'u-1', userName: argument(request) ?? 'Ada' }) as unknown as UserIdentity,
    });
    await client.callTool({ name: 't', arguments: { user: 42 } });
    await client.callTool({ name: 't', arguments: { user: { first: 'Ada' } } });
    await client.callTool({ name: 't', arguments: {} });
    await flush();
    const events = calls('identify-name');
    expect(events.map((e) => e.user?.name ?? null)).toEqual([null, null, 'Ada']);
    expect(events.every((e) => e.user?.id === 'u-1')).toBe(true);
    // What the collector would do with them: every one is accepted.
    expect(events.map((e) => validateEvent(e).ok)).toEqual([true, true, true]);
    await client.close();
  });

  it('ids and names with NUL or lone surrogates, or cut through a surrogate pair, become storable text', async () => {
    const users: UserIdentity[] = [
      { userId: 'u\u0000-1', userName: 'Ada \uD800Lovelace' },
      { userId: `${'a'.repeat(255)}😀`, userName: 'Grace\uDC00' },
      // Nothing left of the id: the event goes anonymous rather than refused.
      { userId: '\u0000\u0000', userName: 'nobody' },
    ];
    const client = await connected(
      {
        projectKey: 'identify-text',
        stateless: true,
        tags: () => ({ key: 'identify-text' }),
        identify: (request) => users[argument(request) as number] ?? null,
      },
      'bad\u0000client\uDBFF',
    );
    for (let user = 0; user < users.length; user++) await client.callTool({ name: 't', arguments: { user } });
    // A tool name straight from the client, refused by the server: it names the event and its error.
    await client.callTool({ name: 'gh\uDC00ost\u0000', arguments: {} }).catch(() => undefined);
    await flush();
    const events = calls('identify-text');
    expect(events.map((e) => validateEvent(e))).toEqual(events.map(() => expect.objectContaining({ ok: true })));
    expect(events.map((e) => e.user ?? null)).toEqual([
      { id: 'u-1', name: 'Ada \uFFFDLovelace' },
      { id: 'a'.repeat(255), name: 'Grace\uFFFD' },
      null,
      null,
    ]);
    expect(new Set(events.map((e) => e.client?.name))).toEqual(new Set(['badclient\uFFFD']));
    expect(events[3]).toMatchObject({ target: 'gh\uFFFDost', isError: true });
    await client.close();
  });
});
