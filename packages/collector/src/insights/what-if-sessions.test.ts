import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planSessions, type SessionEvent } from '../sessionizer/index.js';
import { distribution, whatIfSessions, type StoredSessionTimes } from './what-if-sessions.js';

const MIN = 60_000;
const deriveId = (identity: string) => `ses_${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`;

const event = (id: string, minute: number, shape: Partial<SessionEvent> = {}): SessionEvent => ({
  id,
  timestamp: minute * MIN,
  isError: false,
  transportSessionId: null,
  conversationId: null,
  userId: 'u',
  userName: null,
  clientName: 'claude-ai',
  clientVersion: null,
  clientSource: 'clientInfo',
  clientFingerprint: null,
  ...shape,
});

/**
 * Sessions as the sessionizer stores them for `events` at `timeoutMs`, with their requests' times
 * within [from, to], and the anonymous requests there, as the store reads them.
 */
function storedSessions(
  events: readonly SessionEvent[],
  timeoutMs: number,
  from = -Infinity,
  to = Infinity,
): [StoredSessionTimes[], number] {
  const plan = planSessions({
    projectId: 'p',
    timeoutMs,
    events,
    existing: [],
    clientTimelines: new Map(),
    deriveId,
  });
  const sessions = new Map(plan.upserts.map((s) => [s.id, { kind: s.kind, key: s.key, times: [] as number[] }]));
  for (const e of events)
    if (e.timestamp >= from && e.timestamp <= to) sessions.get(plan.assignments.get(e.id)!)!.times.push(e.timestamp);
  const inRange = [...sessions.values()].filter((s) => s.times.length > 0);
  const anonymous = inRange.filter((s) => s.kind === 'anonymous').length;
  return [inRange.filter((s): s is StoredSessionTimes => s.kind !== 'anonymous'), anonymous];
}

describe('whatIfSessions', () => {
  it("joins and splits a user's requests by the timeout; transport sessions and anonymous requests stay", () => {
    // alice on claude-ai at minutes 0, 10, 50, 60 (a 40-minute gap); bob once; a transport session with a 2-hour pause;
    // two anonymous requests.
    const events = [
      event('a1', 0, { userId: 'alice' }),
      event('a2', 10, { userId: 'alice' }),
      event('a3', 50, { userId: 'alice' }),
      event('a4', 60, { userId: 'alice' }),
      event('b1', 5, { userId: 'bob' }),
      event('t1', 0, { transportSessionId: 'tx', userId: null }),
      event('t2', 120, { transportSessionId: 'tx', userId: null }),
      event('n1', 3, { userId: null }),
      event('n2', 3, { userId: null }),
    ];
    const result = whatIfSessions(...storedSessions(events, 30 * MIN), [5 * MIN, 30 * MIN, 60 * MIN]);
    expect(result.stored).toMatchObject({
      sessions: 6,
      byKind: { stateful: 1, grouped: 3, anonymous: 2, conversation: 0 },
    });
    const [five, thirty, sixty] = result.timeouts;
    // 5 min: alice splits at every gap (4 sessions); 60 min: her 40-minute gap joins.
    expect(five).toMatchObject({ timeoutMs: 5 * MIN, sessions: 8, byKind: { grouped: 5, stateful: 1, anonymous: 2 } });
    expect(thirty).toMatchObject({ sessions: 6, calls: result.stored.calls, durationMs: result.stored.durationMs });
    expect(sixty).toMatchObject({ sessions: 5, byKind: { grouped: 2 } });
    // Not anonymous at 60 min: alice 4 requests over 60 min, bob 1 over 0, the transport session 2 over 120 min.
    expect(sixty!.calls).toMatchObject({ p50: 2, max: 4, mean: 7 / 3 });
    expect(sixty!.durationMs).toMatchObject({ p50: 60 * MIN, max: 120 * MIN });
    expect(sixty!.calls.histogram.slice(0, 4)).toEqual([
      { from: 1, to: 2, sessions: 1 },
      { from: 2, to: 3, sessions: 1 },
      { from: 3, to: 6, sessions: 1 },
      { from: 6, to: 11, sessions: 0 },
    ]);
    expect(sixty!.durationMs.histogram[0]).toEqual({ from: 0, to: 1, sessions: 1 });
  });

  it('reads nearest-rank percentiles', () => {
    expect(distribution([5, 1, 4, 2, 3], [0])).toMatchObject({
      p50: 3,
      p90: 5,
      p99: 5,
      max: 5,
      mean: 3,
      histogram: [{ from: 0, to: null, sessions: 5 }],
    });
    expect(distribution([], [0, 1])).toMatchObject({ p50: 0, max: 0, mean: 0 });
  });

  const events = fc
    .array(
      fc.record({
        minute: fc.integer({ min: 0, max: 600 }),
        user: fc.constantFrom('alice', 'bob', null),
        client: fc.constantFrom('claude-ai', 'cursor', null),
        fingerprint: fc.constantFrom(null, null, 'fp1'),
        transport: fc.constantFrom(null, null, null, 'tx1', 'tx2'),
        conversation: fc.constantFrom(null, null, null, 'c1'),
      }),
      { maxLength: 60 },
    )
    .map((drawn) =>
      drawn.map((d, i) =>
        event(`e${i}`, d.minute, {
          userId: d.user,
          clientName: d.client,
          clientFingerprint: d.fingerprint,
          transportSessionId: d.transport,
          conversationId: d.conversation,
        }),
      ),
    );
  const timeout = fc.integer({ min: 1, max: 120 }).map((m) => m * MIN);

  it("reproduces the stored sessions at the stored timeout, the sessionizer's at any other, also in a window", () => {
    fc.assert(
      fc.property(
        events,
        timeout,
        timeout,
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 600 }),
        (list, storedTimeout, other, a, b) => {
          const [from, to] = [Math.min(a, b) * MIN, Math.max(a, b) * MIN];
          const result = whatIfSessions(...storedSessions(list, storedTimeout, from, to), [storedTimeout, other]);
          expect(result.timeouts[0]).toEqual({ timeoutMs: storedTimeout, ...result.stored });
          // The sessionizer itself, on the window's requests alone, with the other timeout.
          const inWindow = list.filter((e) => e.timestamp >= from && e.timestamp <= to);
          expect(result.timeouts[1]).toEqual({
            timeoutMs: other,
            ...whatIfSessions(...storedSessions(inWindow, other), []).stored,
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
