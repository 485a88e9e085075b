import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planSessions, type SessionEvent, type SessionPlan, type SessionRecord } from './index.js';

const MIN = 60_000;
const deriveId = (identity: string) => `ses_${createHash('sha256').update(identity).digest('hex').slice(0, 8)}`;
const event = (id: string, minute: number, user: string | null, client: string | null = 'Claude Desktop', transport: string | null = null): SessionEvent => ({
  id,
  timestamp: minute * MIN,
  isError: false,
  transportSessionId: transport,
  userId: user,
  userName: null,
  clientName: client,
  clientVersion: null,
});
const plan = (events: SessionEvent[], existing: SessionRecord[] = []) =>
  planSessions({ projectId: 'p', timeoutMs: 30 * MIN, events, existing, deriveId });

/** Applies a plan to an in-memory session list, as a store would. */
function apply(sessions: SessionRecord[], result: SessionPlan): SessionRecord[] {
  const retired = new Set(result.retired.map((r) => r.from));
  const upserted = new Map(result.upserts.map((s) => [s.id, s]));
  return [...sessions.filter((s) => !retired.has(s.id) && !upserted.has(s.id)), ...upserted.values()];
}

describe('planSessions', () => {
  it('produces the product table: A, B, A, C, D', () => {
    const result = plan([
      event('1', 0, 'alice'),
      event('2', 2, 'bob', 'Cursor'),
      event('3', 15, 'alice'),
      event('4', 20, 'alice', 'Cursor'),
      event('5', 55, 'alice'),
    ]);
    const s = (id: string) => result.assignments.get(id);
    expect(s('1')).toBe(s('3'));
    expect(new Set([s('1'), s('2'), s('4'), s('5')]).size).toBe(4);
    expect(result.retired).toEqual([]);
  });

  it('extends, renames and merges stored sessions instead of creating new ones', () => {
    let sessions = apply([], plan([event('a', 0, 'u'), event('c', 50, 'u')]));
    expect(sessions).toHaveLength(2);
    const [early, late] = [...sessions].sort((x, y) => x.startedAt - y.startedAt);
    const bridge = plan([event('b', 25, 'u')], sessions);
    expect(bridge.retired).toEqual([{ from: late!.id, to: early!.id }]);
    sessions = apply(sessions, bridge);
    expect(sessions).toMatchObject([{ id: early!.id, eventCount: 3, startedAt: 0, endedAt: 50 * MIN, firstEventId: 'a' }]);

    const earlier = plan([event('z', -10, 'u')], sessions);
    expect(earlier.retired).toEqual([{ from: early!.id, to: earlier.upserts[0]!.id }]);
    expect(earlier.upserts[0]).toMatchObject({ firstEventId: 'z', eventCount: 4 });
  });

  it('keeps a transport session whole across long pauses, and anonymous events apart', () => {
    const result = plan([event('s1', 0, null, null, 'tx'), event('s2', 500, 'u', null, 'tx'), event('n1', 0, null), event('n2', 0, null)]);
    expect(result.assignments.get('s1')).toBe(result.assignments.get('s2'));
    expect(result.assignments.get('n1')).not.toBe(result.assignments.get('n2'));
    const stateful = result.upserts.find((s) => s.kind === 'stateful')!;
    expect(stateful).toMatchObject({ userId: 'u', eventCount: 2, transportSessionId: 'tx' });
  });

  it('labels a session with its newest named event, whatever order the events come in', () => {
    const named = (id: string, minute: number, userName: string | null): SessionEvent => ({ ...event(id, minute, 'u'), userName });
    // A stored session named at minute 0 and last seen unnamed at minute 10; a late event names it at minute 5.
    // Equal times (minute 5 twice) go to the greater name, so no order can pick the other.
    const events = [named('a', 0, 'Ann'), named('b', 10, null), named('c', 5, 'Bea'), named('d', 5, 'Ada')];
    for (const order of [[0, 1, 2, 3], [2, 3, 0, 1], [1, 3, 2, 0], [3, 0, 1, 2]]) {
      let sessions: SessionRecord[] = [];
      for (const i of order) sessions = apply(sessions, plan([events[i]!], sessions));
      expect(sessions).toMatchObject([{ userName: 'Bea', eventCount: 4, endedAt: 10 * MIN, labelsAt: { userName: 5 * MIN } }]);
    }
  });

  it('leaves stored sessions that no new event touches alone', () => {
    const sessions = apply([], plan([event('a', 0, 'u'), event('b', 100, 'u')]));
    const result = plan([event('c', 110, 'u')], sessions);
    expect(result.upserts).toHaveLength(1);
    expect(result.upserts[0]!.firstEventId).toBe('b');
  });
});

describe('sessionizer boundary', () => {
  it('imports nothing from storage, HTTP or node built-ins', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))) {
      const source = readFileSync(`${dir}/${file}`, 'utf8');
      const imports = [...source.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
      for (const specifier of imports) {
        expect(specifier.startsWith('./') || specifier === '@mcptrail/protocol', `${file} imports ${specifier}`).toBe(true);
      }
    }
  });
});
