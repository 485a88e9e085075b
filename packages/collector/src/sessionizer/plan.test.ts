import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { type NamedSpan, planSessions, type SessionEvent, type SessionPlan, type SessionRecord } from './index.js';

const MIN = 60_000;
const deriveId = (identity: string) => `ses_${createHash('sha256').update(identity).digest('hex').slice(0, 8)}`;
const event = (
  id: string,
  minute: number,
  user: string | null,
  client: string | null = 'Claude Desktop',
  transport: string | null = null,
): SessionEvent => ({
  id,
  timestamp: minute * MIN,
  isError: false,
  transportSessionId: transport,
  conversationId: null,
  userId: user,
  userName: null,
  clientName: client,
  clientVersion: null,
  clientSource: client === null ? null : 'clientInfo',
  clientFingerprint: null,
});
/** The named sessions of each fingerprint key a store keeps, across calls of `plan`. */
let timelines = new Map<string, NamedSpan[]>();

const plan = (events: SessionEvent[], existing: SessionRecord[] = []) =>
  planSessions({ projectId: 'p', timeoutMs: 30 * MIN, events, existing, clientTimelines: timelines, deriveId });

/** Applies a plan to an in-memory session list, as a store would. */
function apply(sessions: SessionRecord[], result: SessionPlan): SessionRecord[] {
  const retired = new Set(result.retired.map((r) => r.from));
  const upserted = new Map(result.upserts.map((s) => [s.id, s]));
  for (const { key, removed, added } of result.timelines)
    timelines.set(key, [...(timelines.get(key) ?? []).filter((s) => !removed.includes(s.startedAt)), ...added]);
  return [...sessions.filter((s) => !retired.has(s.id) && !upserted.has(s.id)), ...upserted.values()].map((session) => {
    const range = result.relabels.find(
      (r) =>
        r.key === session.key &&
        (r.from === null || session.startedAt >= r.from) &&
        (r.to === null || session.startedAt < r.to),
    );
    return range && !upserted.has(session.id)
      ? { ...session, clientName: range.label.name, clientVersion: range.label.version, clientRank: range.label.rank }
      : session;
  });
}

const fingerprinted = (
  id: string,
  minute: number,
  user: string | null,
  fp: string,
  client: string | null,
  source: SessionEvent['clientSource'] = 'clientInfo',
  version: string | null = null,
): SessionEvent => ({
  ...event(id, minute, user, client),
  clientVersion: version,
  clientSource: client === null ? null : source,
  clientFingerprint: fp,
});

beforeEach(() => {
  timelines = new Map();
});

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
    expect(sessions).toMatchObject([
      { id: early!.id, eventCount: 3, startedAt: 0, endedAt: 50 * MIN, firstEventId: 'a' },
    ]);

    const earlier = plan([event('z', -10, 'u')], sessions);
    expect(earlier.retired).toEqual([{ from: early!.id, to: earlier.upserts[0]!.id }]);
    expect(earlier.upserts[0]).toMatchObject({ firstEventId: 'z', eventCount: 4 });
  });

  it('keeps a transport session whole across long pauses, and anonymous events apart', () => {
    const result = plan([
      event('s1', 0, null, null, 'tx'),
      event('s2', 500, 'u', null, 'tx'),
      event('n1', 0, null),
      event('n2', 0, null),
    ]);
    expect(result.assignments.get('s1')).toBe(result.assignments.get('s2'));
    expect(result.assignments.get('n1')).not.toBe(result.assignments.get('n2'));
    const stateful = result.upserts.find((s) => s.kind === 'stateful')!;
    expect(stateful).toMatchObject({ userId: 'u', eventCount: 2, transportSessionId: 'tx' });
  });

  it('labels a session with its newest named event, whatever order the events come in', () => {
    const named = (id: string, minute: number, userName: string | null): SessionEvent => ({
      ...event(id, minute, 'u'),
      userName,
    });
    // A stored session named at minute 0 and last seen unnamed at minute 10; a late event names it at minute 5.
    // Equal times (minute 5 twice) go to the greater name, so no order can pick the other.
    const events = [named('a', 0, 'Ann'), named('b', 10, null), named('c', 5, 'Bea'), named('d', 5, 'Ada')];
    for (const order of [
      [0, 1, 2, 3],
      [2, 3, 0, 1],
      [1, 3, 2, 0],
      [3, 0, 1, 2],
    ]) {
      let sessions: SessionRecord[] = [];
      for (const i of order) sessions = apply(sessions, plan([events[i]!], sessions));
      expect(sessions).toMatchObject([
        { userName: 'Bea', eventCount: 4, endedAt: 10 * MIN, labelsAt: { userName: 5 * MIN } },
      ]);
    }
  });

  it('groups a 2025 client by its fingerprint: initialize names the session, nameless calls join it', () => {
    const events = [
      fingerprinted('init', 0, 'alice', 'fpA', 'claude-ai'),
      fingerprinted('list', 1, 'alice', 'fpA', null),
      fingerprinted('call', 2, 'alice', 'fpA', 'Claude', 'userAgent'),
      // alice's other client, at the same time: another fingerprint, another session
      fingerprinted('cursor-init', 1, 'alice', 'fpB', 'cursor-vscode'),
      fingerprinted('cursor-call', 3, 'alice', 'fpB', null),
      // an anonymous request stays alone even with a fingerprint
      fingerprinted('anon', 2, null, 'fpA', null),
      // an hour later, the same client again, without a new initialize: another session, the same client
      fingerprinted('later', 62, 'alice', 'fpA', 'Claude', 'userAgent'),
    ];
    const result = plan(events);
    const s = (id: string) => result.assignments.get(id);
    expect(new Set([s('init'), s('list'), s('call')]).size).toBe(1);
    expect(new Set([s('cursor-init'), s('cursor-call')]).size).toBe(1);
    expect(new Set([s('init'), s('cursor-init'), s('anon'), s('later')]).size).toBe(4);
    // The clientInfo name wins over the newer guess from the User-Agent, in any order, in every session of the
    // fingerprint.
    for (const order of [events, [...events].reverse()]) {
      timelines = new Map();
      let sessions: SessionRecord[] = [];
      for (const e of order) sessions = apply(sessions, plan([e], sessions));
      const claude = sessions.filter((session) => session.key.includes('fpA') && session.userId === 'alice');
      expect(claude.map((session) => [session.eventCount, session.clientName, session.clientRank]).sort()).toEqual([
        [1, 'claude-ai', 2],
        [3, 'claude-ai', 2],
      ]);
      expect(sessions.find((session) => session.eventCount === 2)).toMatchObject({ clientName: 'cursor-vscode' });
    }
  });

  it('names a fingerprint key along its timeline: a new version names the sessions from it on, not the history', () => {
    const ua = (id: string, minute: number) => fingerprinted(id, minute, 'alice', 'fpA', 'node', 'userAgent', '20');
    const events = [
      fingerprinted('init-1', 0, 'alice', 'fpA', 'claude-ai', 'clientInfo', '1'),
      ua('a', 1),
      ua('b', 60),
      ua('c', 120),
      fingerprinted('init-2', 180, 'alice', 'fpA', 'claude-ai', 'clientInfo', '2'),
      ua('d', 181),
      ua('e', 240),
    ];
    for (const order of [events, events.toReversed()]) {
      timelines = new Map();
      let sessions: SessionRecord[] = [];
      for (const e of order) {
        const result = plan([e], sessions);
        // In time order a name reaches no stored session before it.
        if (order === events)
          for (const range of result.relabels)
            expect(range.from ?? -Infinity).toBeGreaterThanOrEqual(sessions.length ? e.timestamp : -Infinity);
        sessions = apply(sessions, result);
      }
      const versions = sessions
        .toSorted((a, b) => a.startedAt - b.startedAt)
        .map((session) => [session.startedAt / MIN, session.clientName, session.clientVersion]);
      expect(versions).toEqual([
        [0, 'claude-ai', '1'],
        [60, 'claude-ai', '1'],
        [120, 'claude-ai', '1'],
        [180, 'claude-ai', '2'],
        [240, 'claude-ai', '2'],
      ]);
    }
  });

  it('keeps a conversation apart from others, anonymous requests included, and ends it after inactivity', () => {
    const inConversation = (id: string, minute: number, user: string | null, conversation: string): SessionEvent => ({
      ...event(id, minute, user, null),
      conversationId: conversation,
    });
    const result = plan([
      inConversation('a', 0, null, 'c1'),
      inConversation('b', 20, null, 'c1'),
      inConversation('c', 21, 'u', 'c1'),
      inConversation('d', 1, null, 'c2'),
      inConversation('e', 90, null, 'c1'),
    ]);
    const s = (id: string) => result.assignments.get(id);
    expect(s('a')).toBe(s('b'));
    expect(s('a')).toBe(s('c'));
    expect(s('a')).not.toBe(s('d'));
    expect(s('e')).not.toBe(s('a'));
    expect(result.upserts.find((u) => u.eventCount === 3)).toMatchObject({ kind: 'conversation', userId: 'u' });
  });

  it('leaves stored sessions that no new event touches alone', () => {
    const sessions = apply([], plan([event('a', 0, 'u'), event('b', 100, 'u')]));
    const result = plan([event('c', 110, 'u')], sessions);
    expect(result.upserts).toHaveLength(1);
    expect(result.upserts[0]!.firstEventId).toBe('b');
  });
});
