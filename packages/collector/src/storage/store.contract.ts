import { validateEvent, type ValidEvent, type WireEvent } from '@mcptrail/protocol';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createFirstProject, createProject } from '../projects/keys.js';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { encodeBody } from './event-body.js';
import { deriveSessionId } from './session-ids.js';
import { referenceSessions } from '../../test-support/reference-sessions.js';
import '../../test-support/sketch-accuracy.js';
import {
  clientCallRowMismatches,
  negativeRollupRows,
  scanClientMatrix,
  scanStats,
  scanToolTimeline,
  scanTools,
  scanUsers,
} from '../../test-support/scan-aggregates.js';
import type { KyselyStore } from './kysely/kysely-store.js';
import type { SessionSummary, Stats, ToolSummary, UserSummary } from './records.js';
import type { SessionQuery, Store } from './store.js';

/**
 * The behaviour every storage engine must show. Each engine's test file calls
 * this with a factory for a fresh, migrated, empty store.
 */
export interface StoreFactory {
  name: string;
  open(options: { sessionTimeoutMs: number }): Promise<Store>;
}

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);

export function valid(event: WireEvent): ValidEvent {
  const result = validateEvent(event);
  if (!result.ok) throw new Error(result.reason);
  return result.event;
}

export async function allSessions(store: Store, projectId: string): Promise<SessionSummary[]> {
  const sessions: SessionSummary[] = [];
  let cursor: { endedAt: number; id: string } | undefined;
  for (;;) {
    const page = await store.listSessions(projectId, { limit: 100, cursor });
    sessions.push(...page.items);
    if (!page.next) return sessions;
    const [endedAt, id] = page.next;
    cursor = { endedAt, id };
  }
}

export async function assignmentOf(store: Store, projectId: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const session of await allSessions(store, projectId)) {
    const detail = await store.getSession(projectId, session.id);
    for (const event of detail!.events.items) map.set(event.id, event.sessionId);
  }
  return map;
}

/** A tools/call by `user` from `client`, `minutes` after T0. */
const call = (id: string, minutes: number, user: string, client: string): WireEvent => ({
  id,
  timestamp: T0 + minutes * MIN,
  method: 'tools/call',
  user: { id: user },
  client: { name: client },
});

/** The product note's table (timeout 30 minutes). */
export const TABLE: WireEvent[] = [
  call('e1', 0, 'alice', 'Claude Desktop'),
  call('e2', 2, 'bob', 'Cursor'),
  call('e3', 15, 'alice', 'Claude Desktop'),
  call('e4', 20, 'alice', 'Cursor'),
  call('e5', 55, 'alice', 'Claude Desktop'),
];

export function runStoreContract(factory: StoreFactory): void {
  describe(`store contract: ${factory.name}`, () => {
    const open: Store[] = [];
    const fresh = async (sessionTimeoutMs = 30 * MIN) => {
      const store = await factory.open({ sessionTimeoutMs });
      open.push(store);
      const project = await createProject(store, 'p');
      return { store, projectId: project.id, project };
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((store) => store.close()));
    });

    it('groups the product table into A, B, A, C, D in every arrival order', async () => {
      const orders = [
        [0, 1, 2, 3, 4],
        [4, 3, 2, 1, 0],
        [2, 4, 0, 3, 1],
        [4, 0, 2, 1, 3],
      ];
      for (const order of orders) {
        const { store, projectId } = await fresh();
        for (const i of order) await store.ingest(projectId, [valid(TABLE[i]!)], 0, Date.now());
        const s = await assignmentOf(store, projectId);
        expect(s.get('e1')).toBe(s.get('e3'));
        expect(new Set([s.get('e1'), s.get('e2'), s.get('e4'), s.get('e5')]).size).toBe(4);
        expect((await allSessions(store, projectId)).map((x) => x.kind)).toEqual([
          'grouped',
          'grouped',
          'grouped',
          'grouped',
        ]);
      }
    });

    it('keeps a gap of exactly the timeout in one session and splits a longer one', async () => {
      const { store, projectId } = await fresh(10 * MIN);
      const at = (id: string, ms: number) =>
        valid({ id, timestamp: T0 + ms, method: 'm', user: { id: 'u' }, client: { name: 'c' } });
      await store.ingest(projectId, [at('a', 0), at('b', 10 * MIN), at('c', 20 * MIN + 1)], 0, Date.now());
      const s = await assignmentOf(store, projectId);
      expect(s.get('a')).toBe(s.get('b'));
      expect(s.get('c')).not.toBe(s.get('b'));
    });

    it('merges two sessions bridged by a late event; the later id resolves to the earlier', async () => {
      const { store, projectId } = await fresh();
      const at = (id: string, minutes: number) =>
        valid({ id, timestamp: T0 + minutes * MIN, method: 'm', user: { id: 'u' }, client: { name: 'c' } });
      await store.ingest(projectId, [at('a', 0), at('c', 50)], 0, Date.now());
      const before = await assignmentOf(store, projectId);
      expect(before.get('a')).not.toBe(before.get('c'));
      await store.ingest(projectId, [at('b', 25)], 0, Date.now());
      const after = await assignmentOf(store, projectId);
      expect(after.get('b')).toBe(before.get('a'));
      expect(after.get('c')).toBe(before.get('a'));
      const resolved = await store.getSession(projectId, before.get('c')!);
      expect(resolved?.session.id).toBe(before.get('a'));
      expect(resolved?.events.items.map((e) => e.id)).toEqual(['a', 'b', 'c']);
      expect(resolved?.session.eventCount).toBe(3);
    });

    it("counts a tool call under its session's client label as it changes: better name, merge, late name", async () => {
      const { store, projectId } = await fresh();
      const db = (store as KyselyStore).engine.db;
      const call = (id: string, minutes: number, fields: Record<string, unknown>) =>
        valid({
          id,
          timestamp: T0 + minutes * MIN,
          method: 'tools/call',
          target: 'search',
          durationMs: 10 + minutes,
          ...fields,
        });
      // user v's 2025 client: named by its initialize only, its calls grouped by fingerprint.
      const fingerprinted = { user: { id: 'v' }, clientFingerprint: 'fp' };
      const initialize = (id: string, minutes: number, version: string) =>
        valid({
          id,
          timestamp: T0 + minutes * MIN,
          method: 'initialize',
          client: { name: 'cursor-vscode', version },
          ...fingerprinted,
        });
      const range = { from: T0 - 60 * MIN, to: T0 + 600 * MIN };
      const labels = async () =>
        (await store.clientMatrix(projectId, range)).rows.map(
          (r) => `${r.clientName ?? '-'} ${r.clientVersion ?? '-'} ${r.calls}`,
        );
      const steps: [ValidEvent[], string[]][] = [
        // A transport session whose first calls name no client; then a call naming one: the session's earlier calls
        // move to it.
        [[call('t1', 0, { sessionId: 'tx' }), call('t2', 1, { sessionId: 'tx' })], ['- - 2']],
        [[call('t3', 2, { sessionId: 'tx', client: { name: 'goose', version: '1' } })], ['goose 1 3']],
        // Two sessions of a user and client, the later with a newer version; a late call bridges them: one session, the
        // label of the client that opened it.
        [
          [
            call('g1', 100, { user: { id: 'u' }, client: { name: 'zed', version: '1' } }),
            call('g3', 150, { user: { id: 'u' }, client: { name: 'zed', version: '2' } }),
          ],
          ['goose 1 3', 'zed 1 1', 'zed 2 1'],
        ],
        [[call('g2', 125, { user: { id: 'u' }, client: { name: 'zed' } })], ['goose 1 3', 'zed 1 3']],
        // A fingerprint's calls, its client named only by a later session's initialize: the sessions before the key's
        // first name show it.
        [[call('f1', 200, fingerprinted)], ['goose 1 3', 'zed 1 3', '- - 1']],
        [
          [initialize('f2', 280, '3'), call('f3', 281, fingerprinted)],
          ['goose 1 3', 'zed 1 3', 'cursor-vscode 3 2'],
        ],
        // A newer version's initialize names the key's sessions from it on; the calls made before keep version 3.
        [
          [initialize('f4', 350, '4'), call('f5', 351, fingerprinted)],
          ['goose 1 3', 'zed 1 3', 'cursor-vscode 3 2', 'cursor-vscode 4 1'],
        ],
        // One call leaves a label as another, of another duration, joins it in the same hour: the count stays, the
        // durations change.
        [
          [call('x1', 400, { sessionId: 'tx2', client: { name: 'zed', version: '2' } })],
          ['goose 1 3', 'zed 1 3', 'cursor-vscode 3 2', 'cursor-vscode 4 1', 'zed 2 1'],
        ],
        [
          [
            call('x2', 399, { sessionId: 'tx2', client: { name: 'claude-ai', version: '1' } }),
            call('y', 402, { user: { id: 'w' }, client: { name: 'zed', version: '2' }, durationMs: 5 }),
          ],
          ['goose 1 3', 'zed 1 3', 'claude-ai 1 2', 'cursor-vscode 3 2', 'cursor-vscode 4 1', 'zed 2 1'],
        ],
      ];
      for (const [events, expected] of steps) {
        await store.ingest(projectId, events, 0, Date.now());
        expect(await labels()).toEqual(expected);
        expect(await store.clientMatrix(projectId, range)).toEqual(await scanClientMatrix(db, projectId, range));
        expect(await negativeRollupRows(db, projectId)).toBe(0);
        expect(await clientCallRowMismatches(db, projectId)).toEqual([]);
      }
    });

    it('extends a fingerprint session begun long before the batch, under the better name before it', async () => {
      const { store, projectId } = await fresh();
      const fingerprinted = { user: { id: 'v' }, clientFingerprint: 'fp' };
      // A gateway names the client on every request, less trusted than the initialize of the session before.
      const viaGateway = (id: string, minutes: number) =>
        valid({
          id,
          timestamp: T0 + minutes * MIN,
          method: 'tools/call',
          target: 'search',
          client: { name: 'gateway', source: 'header' },
          ...fingerprinted,
        });
      const opening = valid({
        id: 'i',
        timestamp: T0,
        method: 'initialize',
        client: { name: 'cursor-vscode', version: '3' },
        ...fingerprinted,
      });
      await store.ingest(projectId, [opening], 0, Date.now());
      // One request at a time, 20 minutes apart: the last batches see only the end of a session 80 minutes long.
      for (const minutes of [100, 120, 140, 160, 180])
        await store.ingest(projectId, [viaGateway(`g${minutes}`, minutes)], 0, Date.now());
      const sessions = (await allSessions(store, projectId)).map((s) => [s.eventCount, s.clientName, s.clientVersion]);
      expect(sessions).toEqual([
        [5, 'cursor-vscode', '3'],
        [1, 'cursor-vscode', '3'],
      ]);
    });

    it('renames a session when a late event becomes its earliest; the old id keeps resolving', async () => {
      const { store, projectId } = await fresh();
      const at = (id: string, minutes: number) =>
        valid({ id, timestamp: T0 + minutes * MIN, method: 'm', user: { id: 'u' } });
      await store.ingest(projectId, [at('b', 10)], 0, Date.now());
      const [old] = await allSessions(store, projectId);
      await store.ingest(projectId, [at('a', 0)], 0, Date.now());
      const [now] = await allSessions(store, projectId);
      expect(now!.id).not.toBe(old!.id);
      expect((await store.getSession(projectId, old!.id))?.session.id).toBe(now!.id);
      expect(now!.clientName).toBeNull();
    });

    it('keeps transport sessions whole, scoped to the project, and anonymous events alone', async () => {
      const { store, projectId } = await fresh();
      const other = await createProject(store, 'other');
      const stateful = (id: string, minutes: number) =>
        valid({ id, timestamp: T0 + minutes * MIN, method: 'm', sessionId: 'tx-1' });
      await store.ingest(projectId, [stateful('s1', 0), stateful('s2', 300)], 0, Date.now());
      await store.ingest(other.id, [stateful('s1', 0)], 0, Date.now());
      await store.ingest(
        projectId,
        [valid({ id: 'n1', timestamp: T0, method: 'm' }), valid({ id: 'n2', timestamp: T0, method: 'm' })],
        0,
        Date.now(),
      );
      const sessions = await allSessions(store, projectId);
      const statefulSession = sessions.find((s) => s.kind === 'stateful')!;
      expect(statefulSession.eventCount).toBe(2);
      expect(statefulSession.transportSessionId).toBe('tx-1');
      expect(sessions.filter((s) => s.kind === 'anonymous').map((s) => s.eventCount)).toEqual([1, 1]);
      const [otherSession] = await allSessions(store, other.id);
      expect(otherSession!.id).not.toBe(statefulSession.id);
      expect(await store.getSession(other.id, statefulSession.id)).toBeNull();
    });

    it('pages the events of a long session in timestamp order', async () => {
      const { store, projectId } = await fresh();
      const events = Array.from({ length: 7 }, (_, i) =>
        valid({ id: `p${i}`, timestamp: T0 + (i % 3) * 1000, method: 'm', sessionId: 'long' }),
      );
      await store.ingest(projectId, events, 0, Date.now());
      const [session] = await allSessions(store, projectId);
      const seen: string[] = [];
      let cursor: { ts: number; id: string } | undefined;
      for (;;) {
        const page = (await store.getSession(projectId, session!.id, { limit: 3, cursor }))!;
        seen.push(...page.events.items.map((e) => e.id));
        if (!page.events.next) break;
        const [ts, id] = page.events.next;
        cursor = { ts, id };
      }
      expect(seen).toEqual(['p0', 'p3', 'p6', 'p1', 'p4', 'p2', 'p5']);
    });

    it('gives back every field of an event as sent, from its block and from a body stored before blocks', async () => {
      const { store, projectId } = await fresh();
      const rich = (id: string, timestamp: number): WireEvent => ({
        id,
        timestamp,
        method: 'tools/call',
        target: 'search_docs',
        durationMs: 12.5,
        user: { id: 'ada', name: 'Ada Lovelace ✓', data: { plan: 'pro', seats: 3 } },
        client: { name: 'claude-ai', version: '0.15.0' },
        server: { name: 'acme-tools', version: '3.2.0' },
        protocolVersion: '2025-06-18',
        transport: 'streamable-http',
        isError: true,
        error: {
          type: 'ToolError',
          message: 'upstream timed out',
          code: '-32000',
          stack: 'Error: upstream\n    at search (tools.ts:12:3)',
        },
        arguments: { query: 'naïve café 🚀', limit: 20, nested: { list: [1, 2.5, null, 'x'] } },
        result: { content: [{ type: 'text', text: 'no results '.repeat(50) }], isError: true },
        tags: { region: 'eu' },
        properties: { plan: 'pro' },
      });
      const filler = Array.from({ length: 300 }, (_, i) =>
        valid({
          id: `f${i}`,
          timestamp: T0 + i * 1000,
          method: 'tools/call',
          target: `tool_${i % 5}`,
          user: { id: `u${i % 40}` },
          arguments: { page: i },
          result: { content: [{ type: 'text', text: `page ${i} of the results` }] },
        }),
      );
      const after = valid(rich('rich-block', T0 + 1));
      await store.ingest(projectId, [...filler.slice(0, 150), after, ...filler.slice(150)], 0, Date.now());
      // Migration 0006's encoding with a project dictionary (codec 2, dictionary id, raw deflate), as databases
      // written before blocks hold it: read with the dictionary stored beside it.
      const before = valid(rich('rich-legacy', T0 + 2));
      await store.ingest(projectId, [before], 0, Date.now());
      const db = (store as KyselyStore).engine.db;
      const dictionary = new TextEncoder().encode('{"content":[{"type":"text","text":"no results no results');
      await db
        .insertInto('body_dictionaries')
        .values({ project_id: projectId, id: 3, dictionary, created_at: Date.now() })
        .execute();
      // A body of this size is stored deflated on its own (codec 1): its deflate stream inflates to the framing.
      const alone = encodeBody(before);
      expect(alone[0]).toBe(1);
      const framed = alone.subarray(1);
      await db
        .updateTable('events')
        .set({ body: Uint8Array.from([2, 3, ...deflateRawSync(inflateRawSync(framed), { dictionary })]) })
        .where('project_id', '=', projectId)
        .where('id', '=', before.id)
        .execute();
      // 301 events, 128 a block, and one request of one: 4 blocks; a resend of all of them stores nothing more.
      const blocks = () => db.selectFrom('body_blocks').select('key').where('project_id', '=', projectId).execute();
      expect((await blocks()).length).toBe(4);
      expect(await store.ingest(projectId, [...filler, after], 0, Date.now())).toEqual({
        accepted: 0,
        duplicates: 301,
      });
      expect((await blocks()).length).toBe(4);
      for (const sent of [before, after]) {
        const stored = (await store.getEvent(projectId, sent.id))!;
        expect(stored.user).toEqual({ id: 'ada', name: sent.userName, dataJson: sent.userData });
        expect(stored.server).toEqual({ name: 'acme-tools', version: '3.2.0' });
        expect(stored.error).toEqual({
          type: 'ToolError',
          message: 'upstream timed out',
          code: '-32000',
          stack: sent.errorStack,
        });
        expect([
          stored.transport,
          stored.argumentsJson,
          stored.resultJson,
          stored.tagsJson,
          stored.propertiesJson,
        ]).toEqual([sent.transport, sent.arguments, sent.result, sent.tags, sent.properties]);
      }
      const sample = (await store.getEvent(projectId, 'f277'))!;
      expect(JSON.parse(sample.resultJson!)).toEqual({ content: [{ type: 'text', text: 'page 277 of the results' }] });
    });

    it('stores the first version of a resent id and counts the rest as duplicates', async () => {
      const { store, projectId } = await fresh();
      const first = valid({ id: 'x', timestamp: T0, method: 'first' });
      const again = valid({ id: 'x', timestamp: T0 + MIN, method: 'second' });
      expect(await store.ingest(projectId, [first, again], 0, Date.now())).toEqual({ accepted: 1, duplicates: 1 });
      expect(await store.ingest(projectId, [again], 0, Date.now())).toEqual({ accepted: 0, duplicates: 1 });
      expect((await store.getEvent(projectId, 'x'))?.method).toBe('first');
      expect((await allSessions(store, projectId)).length).toBe(1);
    });

    it('credits an id sent by several requests at once to one of them', async () => {
      const { store, projectId } = await fresh();
      const other = await createProject(store, 'other');
      const copy = (id: string) => valid({ id, timestamp: T0, method: 'm', user: { id: 'u' } });
      const outcomes = await Promise.all([
        store.ingest(projectId, [copy('a'), copy('b')], 0, Date.now()),
        store.ingest(projectId, [copy('b'), copy('c'), copy('c')], 1, Date.now()),
        store.ingest(other.id, [copy('a')], 2, Date.now()),
        store.ingest(projectId, [copy('a')], 0, Date.now()),
      ]);
      expect(outcomes).toEqual([
        { accepted: 2, duplicates: 0 },
        { accepted: 1, duplicates: 2 },
        { accepted: 1, duplicates: 0 },
        { accepted: 0, duplicates: 1 },
      ]);
      expect((await allSessions(store, projectId)).reduce((n, s) => n + s.eventCount, 0)).toBe(3);
      expect((await store.stats(projectId, { from: T0 - MIN, to: T0 + MIN })).dropped).toBe(1);
      expect((await store.stats(other.id, { from: T0 - MIN, to: T0 + MIN })).dropped).toBe(2);
    });

    it('scopes event ids to the project', async () => {
      const { store, projectId } = await fresh();
      const other = await createProject(store, 'other');
      await store.ingest(projectId, [valid({ id: 'same', timestamp: T0, method: 'mine' })], 0, Date.now());
      expect(
        await store.ingest(other.id, [valid({ id: 'same', timestamp: T0, method: 'theirs' })], 0, Date.now()),
      ).toEqual({ accepted: 1, duplicates: 0 });
      expect((await store.getEvent(projectId, 'same'))?.method).toBe('mine');
      expect((await store.getEvent(other.id, 'same'))?.method).toBe('theirs');
    });

    it('creates a first project only in a database without one', async () => {
      const store = await factory.open({ sessionTimeoutMs: 30 * MIN });
      open.push(store);
      expect(await createFirstProject(store, 'default')).toMatchObject({ name: 'default' });
      expect(await createFirstProject(store, 'default')).toBeNull();
    });

    it('adds up dropped counts per project', async () => {
      const { store, projectId } = await fresh();
      await store.ingest(projectId, [], 5, Date.now());
      await store.ingest(projectId, [valid({ id: 'a', timestamp: T0, method: 'm' })], 2, Date.now());
      expect((await store.stats(projectId, { from: T0 - MIN, to: T0 + MIN })).dropped).toBe(7);
    });

    it("keeps each sender's largest running total of drops, whatever is resent or reordered", async () => {
      const { store, projectId } = await fresh();
      const batch = (id: string) => [valid({ id, timestamp: T0, method: 'm' })];
      const dropped = () => store.stats(projectId, { from: T0 - MIN, to: T0 + MIN }).then((s) => s.dropped);
      await store.ingest(projectId, batch('a'), 3, Date.now(), { id: 'pod-1', droppedTotal: 3 });
      // The answer was lost: the same batch again, then one that lost two more events meanwhile.
      await store.ingest(projectId, batch('a'), 3, Date.now(), { id: 'pod-1', droppedTotal: 3 });
      await store.ingest(projectId, batch('a'), 2, Date.now(), { id: 'pod-1', droppedTotal: 5 });
      // An older total arriving late (another instance, a slow retry) changes nothing.
      await store.ingest(projectId, batch('b'), 0, Date.now(), { id: 'pod-1', droppedTotal: 4 });
      expect(await dropped()).toBe(5);
      // Senders add up; a sender's total supersedes the count it sends beside it; counts without a sender add up.
      await Promise.all([
        store.ingest(projectId, batch('c'), 100, Date.now(), { id: 'pod-2', droppedTotal: 7 }),
        store.ingest(projectId, batch('c'), 100, Date.now(), { id: 'pod-2', droppedTotal: 7 }),
      ]);
      await store.ingest(projectId, [], 10, Date.now());
      expect(await dropped()).toBe(5 + 7 + 10);
      // Another project's senders are its own.
      const other = await createProject(store, 'other');
      await store.ingest(other.id, batch('a'), 0, Date.now(), { id: 'pod-1', droppedTotal: 50 });
      expect(await dropped()).toBe(22);
    });

    it('answers users, tools and stats from what is stored', async () => {
      const { store, projectId } = await fresh();
      const call = (id: string, minutes: number, user: string, tool: string, durationMs: number, isError = false) =>
        valid({
          id,
          timestamp: T0 + minutes * MIN,
          method: 'tools/call',
          target: tool,
          durationMs,
          isError,
          user: { id: user, name: user.toUpperCase() },
          client: { name: 'cli' },
        });
      const events = [
        call('1', 0, 'ann', 'search', 10),
        call('2', 1, 'ann', 'search', 20),
        call('3', 2, 'bo', 'search', 30, true),
        call('4', 3, 'bo', 'fetch', 100),
      ];
      for (let i = 5; i <= 20; i++) events.push(call(String(i), 3 + i, 'bo', 'search', i * 10));
      // An older session under an older spelling: the newest name wins.
      events.push(
        valid({
          id: 'old-name',
          timestamp: T0 - 120 * MIN,
          method: 'initialize',
          user: { id: 'ann', name: 'ann' },
          client: { name: 'cli' },
        }),
      );
      // A call without a duration counts as a call but not in percentiles.
      events.push(
        valid({
          id: 'untimed',
          timestamp: T0 + 30 * MIN,
          method: 'tools/call',
          target: 'search',
          user: { id: 'bo' },
          client: { name: 'cli' },
        }),
      );
      await store.ingest(projectId, events, 0, Date.now());
      const range = { from: T0 - MIN, to: T0 + 60 * MIN };
      const tools = await store.listTools(projectId, range);
      const search = tools.find((t) => t.name === 'search')!;
      expect(search.calls).toBe(20);
      expect(search.errors).toBe(1);
      // nearest rank over 10,20,30,50,...,200
      const durations = [10, 20, 30, ...Array.from({ length: 16 }, (_, k) => (k + 5) * 10)].sort((a, b) => a - b);
      expect(search.p50Ms).toBeWithinSketchAccuracyOf(durations[Math.ceil(0.5 * durations.length) - 1]!);
      expect(search.p95Ms).toBeWithinSketchAccuracyOf(durations[Math.ceil(0.95 * durations.length) - 1]!);
      const users = await store.listUsers(projectId, { limit: 10 });
      expect(users.items.map((u) => [u.id, u.name, u.sessionCount, u.clients])).toEqual([
        ['bo', 'BO', 1, ['cli']],
        ['ann', 'ANN', 2, ['cli']],
      ]);
      const stats = await store.stats(projectId, range);
      expect([stats.events, stats.errors, stats.users, stats.sessions]).toEqual([21, 1, 2, 2]);
      const detail = await store.getTool(projectId, 'search', range);
      expect(detail?.recentFailures.map((e) => e.id)).toEqual(['3']);
      expect(detail!.timeline.reduce((n, b) => n + b.calls, 0)).toBe(20);
      // 5-minute buckets: the first holds search calls of 10, 20 and 30 ms; the last only the untimed call.
      expect(detail!.bucketMs).toBe(5 * MIN);
      expect(detail!.timeline[0]).toMatchObject({ calls: 3, errors: 1 });
      expect(detail!.timeline[0]!.p95Ms).toBeWithinSketchAccuracyOf(30);
      expect(detail!.timeline.at(-1)).toMatchObject({ calls: 1, p95Ms: null });
      expect(await store.getTool(projectId, 'nope', range)).toBeNull();
    });

    it('pages sessions by most recent activity with filters', async () => {
      const { store, projectId } = await fresh(MIN);
      const events = Array.from({ length: 25 }, (_, i) =>
        valid({
          id: `e${i}`,
          timestamp: T0 + i * 10 * MIN,
          method: 'm',
          user: { id: i % 2 ? 'odd' : 'even' },
          client: { name: i % 3 ? 'A' : 'B' },
          isError: i % 5 === 0,
        }),
      );
      await store.ingest(projectId, events, 0, Date.now());
      const seen: number[] = [];
      let cursor: { endedAt: number; id: string } | undefined;
      do {
        const page = await store.listSessions(projectId, { limit: 7, cursor });
        seen.push(...page.items.map((s) => s.endedAt));
        cursor = page.next ? { endedAt: page.next[0], id: page.next[1] } : undefined;
      } while (cursor);
      expect(seen.length).toBe(25);
      expect([...seen].sort((a, b) => b - a)).toEqual(seen);
      const filtered = await store.listSessions(projectId, { limit: 100, user: 'odd', client: 'A', hasError: true });
      expect(filtered.items.every((s) => s.userId === 'odd' && s.clientName === 'A' && s.errorCount > 0)).toBe(true);
      expect(filtered.items.length).toBe(events.filter((_, i) => i % 2 && i % 3 && i % 5 === 0).length);
    });

    it('lists the sessions active in a range, a long one that spans it and grows later included', async () => {
      const { store, projectId } = await fresh(30 * MIN);
      const at = (id: string, minute: number, user: string) =>
        valid({ id, timestamp: T0 + minute * MIN, method: 'm', user: { id: user } });
      // a: active every 20 minutes for 10 hours; b: once, inside the range; c: after it; d: before it.
      const long = Array.from({ length: 30 }, (_, i) => at(`a${i}`, i * 20, 'a'));
      await store.ingest(projectId, [...long.slice(0, 10), at('b', 180, 'b'), at('c', 720, 'c')], 0, Date.now());
      await store.ingest(projectId, [at('d', 0, 'd'), ...long.slice(10)], 0, Date.now());
      const range = { from: T0 + 120 * MIN, to: T0 + 240 * MIN };
      const users = async (query: Partial<SessionQuery>) =>
        (await store.listSessions(projectId, { limit: 10, ...range, ...query })).items.map((s) => s.userId);
      expect(await users({})).toEqual(['a', 'b']);
      expect(await users({ user: 'a' })).toEqual(['a']);
      expect(await users({ limit: 1 })).toEqual(['a']);
    });

    it('answers every aggregate as a scan of the events would: random streams, orders, batches, ranges', async () => {
      const DAY = 24 * 60 * MIN;
      const start = Math.floor(T0 / DAY) * DAY;
      const eventArb = fc.record({
        minute: fc.integer({ min: 0, max: 3 * 24 * 60 }),
        ms: fc.integer({ min: 0, max: 59_999 }),
        method: fc.constantFrom('tools/call', 'tools/call', 'tools/call', 'initialize', 'resources/read'),
        target: fc.constantFrom('search', 'fetch', 'plan'),
        user: fc.option(fc.constantFrom('u1', 'u2', 'u3'), { nil: null }),
        userName: fc.option(fc.constantFrom('Ann', 'Bea'), { nil: null }),
        client: fc.option(fc.constantFrom('claude-ai', 'cursor-vscode'), { nil: null }),
        clientVersion: fc.option(fc.constantFrom('1.0', '2.0'), { nil: null }),
        protocolVersion: fc.option(fc.constantFrom('2025-11-25', '2026-07-28'), { nil: null }),
        errorMessage: fc.constantFrom('Input validation error: Invalid arguments for tool x', 'boom'),
        fingerprint: fc.oneof(
          { weight: 3, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.constantFrom('fp1', 'fp2') },
        ),
        transport: fc.oneof(
          { weight: 8, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.constantFrom('t1', 't2') },
        ),
        durationMs: fc.option(fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 5_000, noNaN: true })), {
          nil: null,
        }),
        isError: fc.boolean(),
      });
      const rangeArb = fc
        .tuple(fc.integer({ min: -120 * MIN, max: 3 * DAY + 120 * MIN }), fc.integer({ min: 0, max: 3 * DAY }))
        .map(([from, length]) => ({ from: start + from, to: start + from + length }));
      const { store } = await fresh(20 * MIN);
      const db = (store as KyselyStore).engine.db;
      await fc.assert(
        fc.asyncProperty(
          fc.array(eventArb, { minLength: 1, maxLength: 60 }),
          fc.array(fc.nat(), { maxLength: 8 }),
          fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 6 }),
          fc.array(rangeArb, { minLength: 1, maxLength: 4 }),
          async (specs, duplicatePicks, batchSizes, ranges) => {
            const { id: projectId } = await createProject(store, 'aggregates');
            const events = specs.map((spec, i) =>
              valid({
                id: `ag${i}`,
                timestamp: start + spec.minute * MIN + spec.ms,
                method: spec.method,
                target:
                  spec.method === 'initialize'
                    ? null
                    : spec.method === 'resources/read'
                      ? `file:///${spec.target}`
                      : spec.target,
                sessionId: spec.transport,
                clientFingerprint: spec.fingerprint,
                user: spec.user ? { id: spec.user, name: spec.userName } : null,
                client: spec.client ? { name: spec.client, version: spec.clientVersion } : null,
                protocolVersion: spec.protocolVersion,
                durationMs: spec.durationMs,
                isError: spec.isError,
                error: spec.isError ? { message: spec.errorMessage } : null,
              }),
            );
            const arrivals = [...events.toReversed(), ...duplicatePicks.map((pick) => events[pick % events.length]!)];
            for (let i = 0, b = 0; i < arrivals.length; b++) {
              const size = batchSizes[b % batchSizes.length]!;
              await store.ingest(projectId, arrivals.slice(i, i + size), 0, Date.now());
              i += size;
            }
            expect(await negativeRollupRows(db, projectId)).toBe(0);
            expect(await clientCallRowMismatches(db, projectId)).toEqual([]);
            for (const range of ranges) {
              expectSameStats(await store.stats(projectId, range), await scanStats(db, projectId, range, 0));
              const tools = await store.listTools(projectId, range);
              expectSameTools(tools, await scanTools(db, projectId, range));
              // Tool calls by their session's label: exact, sketches included, through merges and relabels.
              expect(await store.clientMatrix(projectId, range)).toEqual(await scanClientMatrix(db, projectId, range));
              for (const tool of tools) {
                const detail = (await store.getTool(projectId, tool.name, range))!;
                const expected = await scanToolTimeline(db, projectId, tool.name, range);
                expect(detail.bucketMs).toBe(expected.bucketMs);
                expect(detail.timeline.map(({ bucket, calls, errors }) => ({ bucket, calls, errors }))).toEqual(
                  expected.timeline.map(({ bucket, calls, errors }) => ({ bucket, calls, errors })),
                );
                for (const [i, point] of detail.timeline.entries())
                  expectQuantile(point.p95Ms, expected.timeline[i]!.p95Ms);
              }
            }
            const users: UserSummary[] = [];
            for (
              let cursor: { lastSeen: number; id: string } | undefined,
                page: Awaited<ReturnType<typeof store.listUsers>>;
              (page = await store.listUsers(projectId, { limit: 2, cursor }));
            ) {
              users.push(...page.items);
              if (!page.next) break;
              cursor = { lastSeen: page.next[0], id: page.next[1] };
            }
            const expectedUsers = await scanUsers(db, projectId);
            expect(users).toEqual(expectedUsers);
            for (const user of expectedUsers) expect((await store.getUser(projectId, user.id))?.user).toEqual(user);
          },
        ),
        { numRuns: 100 },
      );
    });

    it('matches the reference grouping and labels for random streams, orders, batches and duplicates', async () => {
      const timeoutMs = 10 * MIN;
      const eventArb = fc.record({
        project: fc.nat(1),
        user: fc.option(fc.constantFrom('u1', 'u2'), { nil: null }),
        client: fc.option(fc.constantFrom('Claude Desktop', 'Cursor'), { nil: null }),
        // Labels that change within a session, so that which one a session shows depends on getting the order right.
        userName: fc.option(fc.constantFrom('Ann', 'Bea'), { nil: null }),
        clientVersion: fc.option(fc.constantFrom('1.0', '2.0'), { nil: null }),
        clientSource: fc.constantFrom('clientInfo', 'header', 'userAgent', undefined),
        // A 2025 client on a stateless server: grouped by fingerprint, whatever client name each event carries.
        fingerprint: fc.oneof(
          { weight: 3, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.constantFrom('fp1', 'fp2') },
        ),
        conversation: fc.oneof(
          { weight: 8, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.constantFrom('c1', 'c2') },
        ),
        transport: fc.oneof(
          { weight: 6, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.constantFrom('t1', 't2') },
        ),
        minute: fc.integer({ min: 0, max: 12 }).map((m) => m * 5),
        // Mostly whole minutes, so gaps of exactly the timeout and equal timestamps occur.
        second: fc.constantFrom(0, 0, 0, 30),
      });
      // One store for every run: each run writes to two projects of its own, which see nothing of the others.
      const { store } = await fresh(timeoutMs);
      await fc.assert(
        fc.asyncProperty(
          fc.array(eventArb, { minLength: 1, maxLength: 40 }),
          fc.array(fc.nat(), { minLength: 0, maxLength: 10 }),
          fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 10 }),
          fc.array(fc.nat(1000), { minLength: 40, maxLength: 40 }),
          async (specs, duplicatePicks, batchSizes, order) => {
            const projects = [(await createProject(store, 'first')).id, (await createProject(store, 'second')).id];
            const events = specs.map((spec, i) => ({
              project: projects[spec.project]!,
              event: valid({
                id: `ev${i}`,
                timestamp: T0 + spec.minute * MIN + spec.second * 1000,
                method: 'tools/call',
                sessionId: spec.transport,
                user: spec.user ? { id: spec.user, name: spec.userName } : null,
                client: spec.client
                  ? { name: spec.client, version: spec.clientVersion, source: spec.clientSource }
                  : null,
                clientFingerprint: spec.fingerprint,
                conversationId: spec.conversation,
              }),
            }));
            const arrivals = [...events, ...duplicatePicks.map((pick) => events[pick % events.length]!)];
            // A generated arrival order, then batches of generated sizes.
            const rank = (x: (typeof arrivals)[number]) => order[Number(x.event.id.slice(2))] ?? 0;
            arrivals.sort((a, b) => rank(a) - rank(b));
            let cursor = 0;
            for (let b = 0; cursor < arrivals.length; b++) {
              const size = batchSizes[b % batchSizes.length]!;
              const batch = arrivals.slice(cursor, cursor + size);
              cursor += size;
              for (const project of projects) {
                const mine = batch.filter((x) => x.project === project).map((x) => x.event);
                if (mine.length) await store.ingest(project, mine, 0, Date.now());
              }
            }
            for (const project of projects) {
              const expected = referenceSessions(
                project,
                events.filter((x) => x.project === project).map((x) => x.event),
                timeoutMs,
                deriveSessionId,
              );
              const actual = await assignmentOf(store, project);
              expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected.assignment));
              const sessions = await allSessions(store, project);
              expect(sessions.reduce((n, s) => n + s.eventCount, 0)).toBe(expected.assignment.size);
              const labels = Object.fromEntries(
                sessions.map((s) => [
                  s.id,
                  { userId: s.userId, userName: s.userName, clientName: s.clientName, clientVersion: s.clientVersion },
                ]),
              );
              expect(labels).toEqual(Object.fromEntries(expected.labels));
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  });
}

/**
 * Quantiles come from a sketch: within its accuracy of the exact nearest rank; null exactly when there is nothing to
 * rank.
 */
function expectQuantile(actual: number | null, expected: number | null): void {
  if (expected === null || actual === null) expect(actual).toBe(expected);
  else expect(actual).toBeWithinSketchAccuracyOf(expected);
}

function expectSameStats(actual: Stats, expected: Stats): void {
  const { p95Ms, ...rest } = actual;
  const { p95Ms: expectedP95, ...expectedRest } = expected;
  expect(rest).toEqual(expectedRest);
  expectQuantile(p95Ms, expectedP95);
}

function expectSameTools(actual: ToolSummary[], expected: ToolSummary[]): void {
  const counts = (tools: ToolSummary[]) =>
    tools.map(({ name, calls, errors, lastCalledAt }) => ({ name, calls, errors, lastCalledAt }));
  expect(counts(actual)).toEqual(counts(expected));
  actual.forEach((tool, i) => {
    expectQuantile(tool.p50Ms, expected[i]!.p50Ms);
    expectQuantile(tool.p95Ms, expected[i]!.p95Ms);
  });
}
