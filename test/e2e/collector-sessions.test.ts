import type { SessionDetailResponse, SessionListResponse } from '@mcptrail/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type CollectorProcess } from '../support/collector.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
const TABLE = [
  { n: 1, user: 'alice', client: 'Claude Desktop', minute: 0, session: 'A' },
  { n: 2, user: 'bob', client: 'Cursor', minute: 2, session: 'B' },
  { n: 3, user: 'alice', client: 'Claude Desktop', minute: 15, session: 'A' },
  { n: 4, user: 'alice', client: 'Cursor', minute: 20, session: 'C' },
  { n: 5, user: 'alice', client: 'Claude Desktop', minute: 55, session: 'D' },
];

/** Arrival orders and batch splits: every one must give the same sessions. */
const SCENARIOS: { order: number[]; batches: number[] }[] = [
  { order: [0, 1, 2, 3, 4], batches: [5] },
  { order: [4, 3, 2, 1, 0], batches: [1, 1, 1, 1, 1] },
  { order: [2, 4, 0, 1, 3], batches: [2, 3] },
  { order: [4, 0, 3, 2, 1], batches: [1, 2, 2] },
];

describe('the product table through a real collector', () => {
  let collector: CollectorProcess;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(async () => {
    await collector.stop();
  });

  for (const [i, scenario] of SCENARIOS.entries()) {
    it(`gives A, B, A, C, D in order ${scenario.order.join('')}, batches ${scenario.batches.join('+')}`, async () => {
      const project = await collector.createProject(`table-${i}`);
      const events = scenario.order.map((index) => {
        const row = TABLE[index]!;
        return {
          id: `event-${row.n}`,
          timestamp: new Date(T0 + row.minute * MIN).toISOString(),
          method: 'tools/call',
          target: 'search',
          user: { id: row.user },
          client: { name: row.client },
        };
      });
      let offset = 0;
      for (const size of scenario.batches) {
        const result = await collector.post(events.slice(offset, offset + size), { key: project.writeKey });
        expect(result).toEqual({ accepted: size, duplicates: 0, rejected: [] });
        offset += size;
      }
      // A resend of everything changes nothing.
      expect(await collector.post(events, { key: project.writeKey })).toEqual({
        accepted: 0,
        duplicates: 5,
        rejected: [],
      });

      const sessionOf = new Map<number, string>();
      for (const row of TABLE) {
        const { event } = await collector.get<{ event: { sessionId: string } }>(
          `/v1/events/event-${row.n}`,
          project.readKey,
        );
        sessionOf.set(row.n, event.sessionId);
      }
      const label = new Map<string, string>();
      for (const row of TABLE) {
        const id = sessionOf.get(row.n)!;
        expect(id).toMatch(/^ses_/);
        if (!label.has(row.session)) label.set(row.session, id);
        expect(id).toBe(label.get(row.session));
      }
      expect(new Set(label.values()).size).toBe(4);

      const list = await collector.get<SessionListResponse>('/v1/sessions', project.readKey);
      expect(list.sessions.map((s) => [s.userId, s.clientName, s.eventCount, s.kind])).toEqual([
        ['alice', 'Claude Desktop', 1, 'grouped'], // D, ended 10:55
        ['alice', 'Cursor', 1, 'grouped'], // C, 10:20
        ['alice', 'Claude Desktop', 2, 'grouped'], // A, 10:15
        ['bob', 'Cursor', 1, 'grouped'], // B, 10:02
      ]);
      const a = await collector.get<SessionDetailResponse>(`/v1/sessions/${label.get('A')}`, project.readKey);
      expect(a.events.map((e) => e.id)).toEqual(['event-1', 'event-3']);
      expect(a.events.every((e) => e.sessionId === label.get('A'))).toBe(true);
    });
  }
});
