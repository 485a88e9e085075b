import type { ApiError, SessionListResponse, ToolPathsResponse, WhatIfResponse } from '@mcptrail/protocol';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollector, type CollectorProcess } from '../support/collector.js';
import { createTestDatabase, probePostgres, reportMissingPostgres } from '../support/postgres.js';

const MIN = 60_000;
const NOW = Date.now();
/** Six hours ago, on a whole minute: sessions there have long gone quiet (the session timeout is 30 min). */
const T = Math.floor((NOW - 6 * 60 * MIN) / MIN) * MIN;

/** `search!` is a failing call. Sessions a minute apart, each call a minute after the previous one. */
const PATH_SESSIONS: { name: string; user: string | null; calls: string; at: number; transport?: string }[] = [
  { name: 's1', user: 'alice', calls: 'search fetch summarize', at: T },
  { name: 's2', user: 'bob', calls: 'search fetch!', at: T + 10 * MIN },
  { name: 's3', user: 'carol', calls: 'search search!', at: T + 20 * MIN },
  { name: 's4', user: 'dave', calls: 'list', at: T + 30 * MIN },
  { name: 's5', user: 'erin', calls: 'search fetch fetch!', at: T + 40 * MIN },
  { name: 's6', user: 'frank', calls: '', at: T + 50 * MIN }, // an initialize only
  { name: 's7', user: null, calls: 'search', at: T + 60 * MIN }, // anonymous: no path
  { name: 's8', user: 'grace', calls: 'search list', at: T + 70 * MIN, transport: 'tx-grace' },
  { name: 's9', user: 'henry', calls: 'search fetch', at: NOW - 5 * MIN }, // still active
];

function pathEvents() {
  return PATH_SESSIONS.flatMap((s) => {
    const base = {
      user: s.user === null ? undefined : { id: s.user },
      client: { name: 'claude-ai' },
      ...(s.transport ? { sessionId: s.transport } : {}),
    };
    const init = { ...base, id: `${s.name}-init`, timestamp: s.at, method: 'initialize' };
    const calls = s.calls
      .split(' ')
      .filter(Boolean)
      .map((call, i) => ({
        ...base,
        id: `${s.name}-${i}`,
        timestamp: s.at + (i + 1) * MIN,
        method: 'tools/call',
        target: call.replace('!', ''),
        isError: call.endsWith('!'),
      }));
    return s.user === null ? calls : [init, ...calls];
  });
}

/**
 * Users 0–11 with 2, 3 or 4 bursts each of 3 calls 10 minutes apart, bursts 45 minutes apart; a transport session with
 * a 2-hour pause; 2 anonymous calls.
 */
function whatIfEvents() {
  const start = NOW - 2 * 24 * 60 * MIN;
  const events: object[] = [];
  for (let user = 0; user < 12; user++) {
    const bursts = 2 + (user % 3);
    for (let burst = 0; burst < bursts; burst++) {
      for (let call = 0; call < 3; call++) {
        events.push({
          id: `w${user}-${burst}-${call}`,
          timestamp: start + user * 7 * MIN + burst * (20 + 45) * MIN + call * 10 * MIN,
          method: 'tools/call',
          target: 'search',
          user: { id: `user-${user}` },
          client: { name: 'cursor-vscode' },
        });
      }
    }
  }
  events.push({ id: 'tx-a', timestamp: start, method: 'tools/call', target: 'search', sessionId: 'tx-1' });
  events.push({ id: 'tx-b', timestamp: start + 120 * MIN, method: 'tools/call', target: 'search', sessionId: 'tx-1' });
  events.push({ id: 'anon-1', timestamp: start + 5 * MIN, method: 'tools/call', target: 'search' });
  events.push({ id: 'anon-2', timestamp: start + 6 * MIN, method: 'tools/call', target: 'search' });
  // Arrival order should not matter: reversed, in two batches.
  return events.reverse();
}

const node = (
  tool: string,
  sessions: number,
  ended: number,
  endedAfterError: number,
  children: object[] = [],
  otherSessions = 0,
) => ({
  tool,
  sessions,
  ended,
  endedAfterError,
  children,
  otherSessions,
});

function insightScenarios(open: () => Promise<CollectorProcess>) {
  let collector: CollectorProcess;
  afterAll(() => collector?.stop());

  it('answers paths: the tree of first tools, drop-off and endings after an error, as counted by hand', async () => {
    collector = await open();
    const events = pathEvents();
    await collector.post(events.slice(0, 10));
    await collector.post(events.slice(10));
    const sessionOf = async (name: string) =>
      (await collector.get<{ event: { sessionId: string } }>(`/v1/events/${name}-0`)).event.sessionId;

    const paths = await collector.get<ToolPathsResponse>('/v1/insights/paths');
    expect(paths).toMatchObject({
      depth: 4,
      breadth: 5,
      quietAfterMs: 30 * MIN,
      sessions: 8,
      sessionsWithTools: 7,
      quietSessions: 6,
      otherFirstSessions: 0,
    });
    expect(paths.firstSteps).toEqual([
      node('search', 6, 0, 0, [
        node('fetch', 4, 1, 1, [node('fetch', 1, 1, 1), node('summarize', 1, 1, 0)]),
        node('list', 1, 1, 0),
        node('search', 1, 1, 1),
      ]),
      node('list', 1, 1, 0),
    ]);
    expect(paths.dropOff).toEqual([
      { tool: 'fetch', reached: 3, ended: 2, dropOffRate: 2 / 3, endedAfterError: 2 },
      { tool: 'list', reached: 2, ended: 2, dropOffRate: 1, endedAfterError: 0 },
      { tool: 'search', reached: 5, ended: 1, dropOffRate: 0.2, endedAfterError: 1 },
      { tool: 'summarize', reached: 1, ended: 1, dropOffRate: 1, endedAfterError: 0 },
    ]);
    expect(paths.endsAfterError).toEqual([
      { tool: 'fetch', sessions: 2, exampleSessionIds: [await sessionOf('s5'), await sessionOf('s2')] },
      { tool: 'search', sessions: 1, exampleSessionIds: [await sessionOf('s3')] },
    ]);

    // One step, one branch: the rest is added up.
    const shallow = await collector.get<ToolPathsResponse>('/v1/insights/paths?depth=1&breadth=1');
    expect(shallow.firstSteps).toEqual([node('search', 6, 0, 0)]);
    expect(shallow.otherFirstSessions).toBe(1);
    const narrow = await collector.get<ToolPathsResponse>('/v1/insights/paths?breadth=1');
    expect(narrow.firstSteps[0]!.children).toEqual([node('fetch', 4, 1, 1, [node('fetch', 1, 1, 1)], 1)]);
    expect(narrow.firstSteps[0]!.otherSessions).toBe(2);
    // Sessions that started in the range: from s4's start on, s1–s3 are out.
    const later = await collector.get<ToolPathsResponse>(`/v1/insights/paths?from=${T + 30 * MIN}`);
    expect(later).toMatchObject({ sessions: 5, sessionsWithTools: 4, quietSessions: 3 });
  });

  it('answers what-if: the requests grouped with other timeouts, as counted by hand; stored kept', async () => {
    const project = await collector.createProject('what-if');
    const events = whatIfEvents();
    await collector.post(events.slice(0, 50), { key: project.writeKey });
    await collector.post(events.slice(50), { key: project.writeKey });
    const sessionsBefore = await collector.get<{ sessions: unknown[] }>('/v1/sessions?limit=100', project.readKey);

    const whatIf = await collector.get<WhatIfResponse>('/v1/insights/what-if', project.readKey);
    expect(whatIf).toMatchObject({ storedTimeoutMs: 30 * MIN, events: 36 * 3 + 4 });
    expect(whatIf.timeouts.map((t) => [t.timeoutMs / MIN, t.sessions, t.byKind])).toEqual([
      [5, 108 + 3, { stateful: 1, conversation: 0, grouped: 108, anonymous: 2 }],
      [15, 36 + 3, { stateful: 1, conversation: 0, grouped: 36, anonymous: 2 }],
      [30, 36 + 3, { stateful: 1, conversation: 0, grouped: 36, anonymous: 2 }],
      [60, 12 + 3, { stateful: 1, conversation: 0, grouped: 12, anonymous: 2 }],
    ]);
    // At the stored timeout, the stored sessions exactly; and those are what the sessions list holds.
    const [, , thirty, sixty] = whatIf.timeouts;
    expect(thirty).toEqual({ timeoutMs: 30 * MIN, ...whatIf.stored });
    expect(whatIf.stored.sessions).toBe(sessionsBefore.sessions.length);
    // 60 min: 4 users each with 6, 9 and 12 calls over 85, 150 and 215 minutes, and the transport session's 2 over 120.
    expect(sixty!.calls).toMatchObject({ p50: 9, p90: 12, max: 12, mean: (4 * (6 + 9 + 12) + 2) / 13 });
    expect(sixty!.durationMs).toMatchObject({ p50: 150 * MIN, max: 215 * MIN });
    expect(sixty!.calls.histogram.filter((b) => b.sessions > 0)).toEqual([
      { from: 2, to: 3, sessions: 1 },
      { from: 6, to: 11, sessions: 8 },
      { from: 11, to: 21, sessions: 4 },
    ]);
    // 5 min: every grouped request alone.
    expect(whatIf.timeouts[0]!.durationMs.histogram[0]).toEqual({ from: 0, to: 1, sessions: 108 });

    const chosen = await collector.get<WhatIfResponse>('/v1/insights/what-if?timeout=2h,45m,45m', project.readKey);
    expect(chosen.timeouts.map((t) => [t.timeoutMs / MIN, t.byKind.grouped])).toEqual([
      [45, 12],
      [120, 12],
    ]);
    // Nothing stored changed.
    expect(await collector.get('/v1/sessions?limit=100', project.readKey)).toEqual(sessionsBefore);
  });

  it('reproduces the stored sessions at the stored timeout, whatever the traffic and its batches', async () => {
    const start = NOW - 3 * 24 * 60 * MIN;
    const traffic = fc.array(
      fc.record({
        minute: fc.integer({ min: 0, max: 8 * 60 }),
        user: fc.constantFrom('ann', 'ben', 'cho', null),
        client: fc.constantFrom('claude-ai', 'cursor-vscode'),
        fingerprint: fc.constantFrom(null, null, 'fp-1'),
        transport: fc.constantFrom(null, null, null, null, 'tx-1'),
      }),
      { minLength: 1, maxLength: 60 },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(traffic, fc.integer({ min: 1, max: 4 }), async (drawn, batches) => {
        const project = await collector.createProject(`what-if-property-${run++}`);
        const events = drawn.map((d, i) => ({
          id: `e${i}`,
          timestamp: start + d.minute * MIN,
          method: 'tools/call',
          target: 'search',
          ...(d.user ? { user: { id: d.user } } : {}),
          client: { name: d.client },
          ...(d.fingerprint ? { clientFingerprint: d.fingerprint } : {}),
          ...(d.transport ? { sessionId: d.transport } : {}),
        }));
        const size = Math.ceil(events.length / batches);
        for (let i = 0; i < events.length; i += size)
          await collector.post(events.slice(i, i + size), { key: project.writeKey });
        const whatIf = await collector.get<WhatIfResponse>('/v1/insights/what-if?timeout=30m', project.readKey);
        expect(whatIf.timeouts[0]).toEqual({ timeoutMs: 30 * MIN, ...whatIf.stored });
        const grouped = await collector.get<SessionListResponse>(
          '/v1/sessions?kind=grouped&limit=100',
          project.readKey,
        );
        expect(whatIf.stored.byKind.grouped).toBe(grouped.sessions.length);
        expect(whatIf.events).toBe(events.length);
      }),
      { numRuns: 15 },
    );
  });

  it('refuses parameters out of bounds', async () => {
    for (const query of [
      'paths?depth=7',
      'paths?breadth=0',
      'what-if?timeout=soon',
      'what-if?timeout=0m',
      'what-if?timeout=1m,2m,3m,4m,5m,6m,7m,8m,9m',
      'what-if?timeout=8d',
    ]) {
      const res = await collector.fetch(`/v1/insights/${query}`, {
        headers: { authorization: `Bearer ${collector.readKey}` },
      });
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as ApiError).error.code).toBe('invalid_parameter');
    }
  });
}

describe('insights on paths and session grouping (SQLite)', () => {
  insightScenarios(() => startCollector());

  it('refuses a range with more events than --insights-max-events, saying so', async () => {
    const collector = await startCollector({ args: ['--insights-max-events', '20'] });
    try {
      await collector.post(whatIfEvents());
      for (const path of ['/v1/insights/what-if', '/v1/insights/paths']) {
        const res = await collector.fetch(path, { headers: { authorization: `Bearer ${collector.readKey}` } });
        expect(res.status).toBe(400);
        const { error } = (await res.json()) as ApiError;
        expect(error).toEqual({ code: 'range_too_large', message: expect.stringContaining('more than 20 events') });
      }
    } finally {
      await collector.stop();
    }
  });
});

const probe = await probePostgres();
const database = probe.ok ? await createTestDatabase('mct_insights_test') : null;
afterAll(() => database?.drop());

if (probe.ok)
  describe('insights on paths and session grouping (PostgreSQL)', () =>
    insightScenarios(() => startCollector({ db: database!.schema('mct_insights').url })));
else reportMissingPostgres(probe, 'insights on PostgreSQL');
