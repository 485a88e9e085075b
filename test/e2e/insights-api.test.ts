/**
 * The insights endpoints through a real collector, against expectations computed by hand
 * from the events below: failure clusters (classes as the SDKs record them, the session's
 * client label, trends, examples) and the session-shape histograms.
 */
import type {
  ClientsResponse,
  FailuresResponse,
  SessionDetailResponse,
  SessionShapeResponse,
} from '@mcptrail/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type CollectorProcess } from '../support/collector.js';
import { createTestDatabase, probePostgres, reportMissingPostgres } from '../support/postgres.js';
import { invalidPriority } from '../support/wire-events.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** A UTC day start: the range is three whole days, so the trend has three daily buckets. */
const T0 = Date.UTC(2026, 10, 16);
const RANGE = `from=${T0}&to=${T0 + 3 * DAY - 1}`;

type Wire = Record<string, unknown>;
let seq = 0;
const call = (at: number, fields: Wire): Wire => ({
  id: `ev-${++seq}`,
  timestamp: at,
  method: 'tools/call',
  durationMs: 10,
  ...fields,
});
const claude = { name: 'claude-ai', version: '0.15.0' };
const cursor = { name: 'cursor-vscode', version: '1.8.0' };

/**
 * Cluster A, tool_error: `get_item` "resource /v1/items/<n> not found", 6 failures, each in a
 * session of its own (hours apart), users u0–u2, claude-ai ×4 and cursor-vscode ×2; per day 2, 3, 1.
 */
const CLUSTER_A_TIMES = [
  T0 + 1 * HOUR,
  T0 + 5 * HOUR,
  T0 + DAY + 1 * HOUR,
  T0 + DAY + 5 * HOUR,
  T0 + DAY + 9 * HOUR,
  T0 + 2 * DAY + 1 * HOUR,
];
const clusterA = CLUSTER_A_TIMES.map((at, i) =>
  call(at, {
    target: 'get_item',
    user: { id: `u${i % 3}` },
    client: i < 4 ? claude : cursor,
    isError: true,
    error: { type: 'ToolError', message: `resource /v1/items/${4000 + i * 17} not found` },
    result: { isError: true, content: [{ type: 'text', text: 'not found' }] },
  }),
);
/**
 * Cluster B, unknown_tool: `invent_thing` as MCP SDK v1 records it (an isError result, ×3) and as v2 does (a thrown
 * -32602, ×2): one cluster.
 */
const clusterB = [
  ...[0, 1, 2].map((i) =>
    call(T0 + 2 * HOUR + i * MIN, {
      target: 'invent_thing',
      user: { id: 'u9' },
      client: claude,
      isError: true,
      error: { type: 'ToolError', message: 'MCP error -32602: Tool invent_thing not found' },
    }),
  ),
  ...[0, 1].map((i) =>
    call(T0 + DAY + 2 * HOUR + i * MIN, {
      target: 'invent_thing',
      user: { id: 'u9' },
      client: cursor,
      isError: true,
      error: { type: 'ProtocolError', code: -32602, message: 'Tool invent_thing not found' },
    }),
  ),
];
/**
 * Cluster C, invalid_arguments: `create_ticket` ×3 in a fingerprinted session whose requests name no
 * client: only its `initialize` does (goose), so the failures are goose's.
 */
const fingerprinted = { user: { id: 'u7' }, clientFingerprint: 'fp-u7' };
const clusterC = [
  call(T0 + 2 * DAY + 3 * HOUR, {
    ...fingerprinted,
    method: 'initialize',
    client: { name: 'goose', version: '1.9.1' },
  }),
  ...[1, 2, 3].map((i) =>
    call(T0 + 2 * DAY + 3 * HOUR + i * MIN, {
      ...fingerprinted,
      target: 'create_ticket',
      isError: true,
      error: invalidPriority(`p${i}`),
    }),
  ),
];
/** Cluster D, protocol_error: an anonymous resources/read answered -32603. */
const clusterD = [
  call(T0 + 2 * DAY + 6 * HOUR, {
    method: 'resources/read',
    target: 'file:///srv/a.txt',
    isError: true,
    error: { type: 'McpError', code: -32603, message: 'Internal error' },
  }),
];
/** Not failures, or outside the range. */
const others = [
  call(T0 + 3 * HOUR, { target: 'get_item', user: { id: 'u0' }, client: claude }),
  call(T0 - 1, {
    target: 'get_item',
    user: { id: 'u0' },
    client: claude,
    isError: true,
    error: { type: 'ToolError', message: 'resource /v1/items/1 not found' },
  }),
  call(T0 + 3 * DAY, {
    target: 'get_item',
    user: { id: 'u0' },
    client: claude,
    isError: true,
    error: { type: 'ToolError', message: 'resource /v1/items/2 not found' },
  }),
];

const probe = await probePostgres();
const database = probe.ok ? await createTestDatabase('mct_insights_test') : null;
afterAll(async () => {
  await database?.drop();
});

for (const engine of ['SQLite', 'PostgreSQL'] as const) {
  if (engine === 'PostgreSQL' && !database) {
    if (!probe.ok) reportMissingPostgres(probe, 'insights on PostgreSQL');
    continue;
  }
  describe(`insights through a real collector on ${engine}`, () => {
    let collector: CollectorProcess;
    beforeAll(async () => {
      collector = await startCollector(engine === 'PostgreSQL' ? { db: database!.schema('insights').url } : {});
    });
    afterAll(async () => {
      await collector.stop();
    });

    it('clusters failures by class, tool, code and normalised message, with trend, users, clients', async () => {
      const project = await collector.createProject('failures');
      const events = [...clusterA, ...clusterB, ...clusterC, ...clusterD, ...others];
      // Newest first, in two batches: the answer cannot depend on arrival order.
      const reversed = events.toReversed();
      for (const batch of [reversed.slice(0, 7), reversed.slice(7)])
        expect((await collector.post(batch, { key: project.writeKey })).rejected).toEqual([]);
      const answer = await collector.get<FailuresResponse>(`/v1/insights/failures?${RANGE}`, project.readKey);

      expect(answer).toMatchObject({
        from: new Date(T0).toISOString(),
        bucketMs: DAY,
        trendStart: new Date(T0).toISOString(),
        failures: 15,
        byClass: { tool_error: 6, unknown_tool: 5, invalid_arguments: 3, protocol_error: 1 },
        clusterCount: 4,
      });
      const [a, b, c, d] = answer.clusters;
      expect(a).toEqual({
        class: 'tool_error',
        method: 'tools/call',
        tool: 'get_item',
        code: null,
        errorType: 'ToolError',
        pattern: 'resource <path> not found',
        sampleMessage: 'resource /v1/items/4085 not found',
        count: 6,
        firstSeen: new Date(CLUSTER_A_TIMES[0]!).toISOString(),
        lastSeen: new Date(CLUSTER_A_TIMES[5]!).toISOString(),
        users: 3,
        clients: [
          { name: 'claude-ai', count: 4 },
          { name: 'cursor-vscode', count: 2 },
        ],
        trend: [2, 3, 1],
        examples: clusterA
          .toReversed()
          .slice(0, 5)
          .map((e) => ({
            eventId: e.id,
            sessionId: expect.stringMatching(/^ses_/),
            timestamp: new Date(e.timestamp as number).toISOString(),
          })),
      });
      // Each example opens its session, which holds the failure.
      for (const example of a!.examples) {
        const session = await collector.get<SessionDetailResponse>(
          `/v1/sessions/${example.sessionId}`,
          project.readKey,
        );
        expect(session.events.map((e) => e.id)).toContain(example.eventId);
      }
      expect(b).toMatchObject({
        class: 'unknown_tool',
        tool: 'invent_thing',
        code: '-32602',
        pattern: 'Tool invent_thing not found',
        count: 5,
        users: 1,
        trend: [3, 2, 0],
      });
      expect(b!.clients).toEqual([
        { name: 'claude-ai', count: 3 },
        { name: 'cursor-vscode', count: 2 },
      ]);
      expect(b!.examples).toHaveLength(2);
      expect(c).toMatchObject({
        class: 'invalid_arguments',
        tool: 'create_ticket',
        code: '-32602',
        pattern:
          'Input validation error: Invalid arguments for tool create_ticket: ' +
          'expected number at "<value>", got "<value>"',
        count: 3,
        users: 1,
        clients: [{ name: 'goose', count: 3 }],
        trend: [0, 0, 3],
      });
      expect(d).toMatchObject({
        class: 'protocol_error',
        method: 'resources/read',
        tool: null,
        code: '-32603',
        count: 1,
        users: 0,
        clients: [{ name: null, count: 1 }],
        trend: [0, 0, 1],
      });

      const top = await collector.get<FailuresResponse>(`/v1/insights/failures?${RANGE}&limit=2`, project.readKey);
      expect(top.clusters.map((cluster) => cluster.class)).toEqual(['tool_error', 'unknown_tool']);
      expect(top.clusterCount).toBe(4);
      // An hour-long range: hourly buckets.
      const hour = await collector.get<FailuresResponse>(
        `/v1/insights/failures?from=${T0 + 2 * HOUR}&to=${T0 + 3 * HOUR - 1}`,
        project.readKey,
      );
      expect(hour).toMatchObject({ bucketMs: HOUR, failures: 3, clusters: [{ tool: 'invent_thing', trend: [3] }] });
    });

    it('counts sessions per requests and duration bucket, per client, leaving out anonymous ones', async () => {
      const project = await collector.createProject('shape');
      const grouped = (user: string, at: number) => call(at, { target: 'search', user: { id: user }, client: claude });
      const events = [
        // claude-ai: one request (0 s); four over 10 min; twelve 3.5 min apart (38.5 min).
        grouped('s1', T0 + HOUR),
        ...[0, 1, 2, 3].map((i) => grouped('s2', T0 + 2 * HOUR + (i * 10 * MIN) / 3)),
        ...Array.from({ length: 12 }, (_, i) => grouped('s3', T0 + DAY + i * 3.5 * MIN)),
        // goose through a fingerprint: initialize and one call 30 s later.
        call(T0 + 2 * DAY, {
          user: { id: 's4' },
          clientFingerprint: 'fp-s4',
          method: 'initialize',
          client: { name: 'goose' },
        }),
        call(T0 + 2 * DAY + 30_000, { user: { id: 's4' }, clientFingerprint: 'fp-s4', target: 'search' }),
        // Three anonymous requests, and a session that started before the range.
        ...[1, 2, 3].map((i) => call(T0 + i * HOUR, { target: 'search' })),
        grouped('s5', T0 - 10 * MIN),
        grouped('s5', T0 + 5 * MIN),
      ];
      expect((await collector.post(events, { key: project.writeKey })).rejected).toEqual([]);
      const shape = await collector.get<SessionShapeResponse>(`/v1/insights/session-shape?${RANGE}`, project.readKey);

      expect(shape.requestBuckets).toEqual([
        { min: 1, max: 1 },
        { min: 2, max: 2 },
        { min: 3, max: 5 },
        { min: 6, max: 10 },
        { min: 11, max: 20 },
        { min: 21, max: 50 },
        { min: 51, max: 100 },
        { min: 101, max: null },
      ]);
      expect(shape.durationBuckets.map((b) => b.maxMs)).toEqual([
        1_000,
        60_000,
        300_000,
        900_000,
        1_800_000,
        3_600_000,
        14_400_000,
        null,
      ]);
      expect(shape.anonymousSessions).toBe(3);
      expect(shape.all).toEqual({
        clientName: null,
        sessions: 4,
        requests: [1, 1, 1, 0, 1, 0, 0, 0],
        durations: [1, 1, 0, 1, 0, 1, 0, 0],
      });
      expect(shape.clients).toEqual([
        {
          clientName: 'claude-ai',
          sessions: 3,
          requests: [1, 0, 1, 0, 1, 0, 0, 0],
          durations: [1, 0, 0, 1, 0, 1, 0, 0],
        },
        { clientName: 'goose', sessions: 1, requests: [0, 1, 0, 0, 0, 0, 0, 0], durations: [0, 1, 0, 0, 0, 0, 0, 0] },
      ]);
    });

    it("answers the client matrix by the sessions' labels, and flags the client that breaks a tool", async () => {
      const project = await collector.createProject('clients');
      const at = (minute: number) => T0 + 10 * HOUR + minute * MIN;
      const windsurf = { name: 'windsurf-client', version: '1.12.3' };
      const invalid = {
        type: 'ToolError',
        message:
          'MCP error -32602: Input validation error: ' +
          'Invalid arguments for tool create_ticket: expected object at "fields"',
      };
      const events = [
        // claude-ai: search ×40 (durations 10–49 ms, the 1st and 2nd failing), create_ticket ×30, none failing.
        ...Array.from({ length: 40 }, (_, i) =>
          call(at(i), {
            target: 'search',
            user: { id: 'c1' },
            client: claude,
            protocolVersion: '2026-07-28',
            durationMs: 10 + i,
            ...(i < 2 ? { isError: true, error: { type: 'ToolError', message: 'upstream timed out' } } : {}),
          }),
        ),
        ...Array.from({ length: 30 }, (_, i) =>
          call(at(i), { target: 'create_ticket', user: { id: 'c2' }, client: claude, protocolVersion: '2026-07-28' }),
        ),
        // windsurf-client: create_ticket ×25, 10 with invalid arguments.
        ...Array.from({ length: 25 }, (_, i) =>
          call(at(i), {
            target: 'create_ticket',
            user: { id: 'w1' },
            client: windsurf,
            protocolVersion: '2026-07-28',
            ...(i < 10 ? { isError: true, error: invalid } : {}),
          }),
        ),
        // cursor-vscode over a transport session: search ×20, one failing.
        ...Array.from({ length: 20 }, (_, i) =>
          call(at(i), {
            target: 'search',
            sessionId: 'tx-cursor',
            client: cursor,
            protocolVersion: '2025-11-25',
            ...(i === 0 ? { isError: true, error: { type: 'ToolError', message: 'boom' } } : {}),
          }),
        ),
      ];
      // goose through a fingerprint: its five searches name no client; its initialize arrives later, and names it.
      const goose = { user: { id: 'g1' }, clientFingerprint: 'fp-g1', protocolVersion: '2025-11-25' };
      const gooseCalls = Array.from({ length: 5 }, (_, i) => call(at(i + 1), { ...goose, target: 'search' }));
      const gooseInitialize = call(at(0), {
        ...goose,
        method: 'initialize',
        client: { name: 'goose', version: '1.9.1' },
      });
      for (const batch of [events, gooseCalls])
        expect((await collector.post(batch, { key: project.writeKey })).rejected).toEqual([]);
      const before = await collector.get<ClientsResponse>(`/v1/insights/clients?${RANGE}`, project.readKey);
      expect(before.rows.at(-1)).toMatchObject({ clientName: null, protocolVersion: '2025-11-25', calls: 5 });
      expect((await collector.post([gooseInitialize], { key: project.writeKey })).rejected).toEqual([]);
      const matrix = await collector.get<ClientsResponse>(`/v1/insights/clients?${RANGE}`, project.readKey);

      expect(matrix.flagRule).toEqual({ minCalls: 20, ratio: 2, marginPoints: 0.1 });
      expect(
        matrix.rows.map((r) => [
          r.clientName,
          r.clientVersion,
          r.protocolVersion,
          r.calls,
          r.errors,
          r.invalidArguments,
        ]),
      ).toEqual([
        ['claude-ai', '0.15.0', '2026-07-28', 70, 2, 0],
        ['windsurf-client', '1.12.3', '2026-07-28', 25, 10, 10],
        ['cursor-vscode', '1.8.0', '2025-11-25', 20, 1, 0],
        ['goose', '1.9.1', '2025-11-25', 5, 0, 0],
      ]);
      expect(matrix.rows[1]).toMatchObject({ errorRate: 0.4, invalidArgumentsRate: 0.4 });
      // claude-ai's p95 over 70 calls with durations: its search calls (10–49 ms) and create_ticket calls (10 ms each).
      const claudeDurations = [...Array.from({ length: 40 }, (_, i) => 10 + i), ...Array(30).fill(10)].sort(
        (x, y) => x - y,
      );
      const p95 = claudeDurations[Math.ceil(0.95 * 70) - 1]!;
      expect(Math.abs(matrix.rows[0]!.p95Ms! - p95) / p95).toBeLessThan(0.011);
      expect(matrix.tools.map((t) => [t.tool, t.calls, t.errors])).toEqual([
        ['search', 65, 3],
        ['create_ticket', 55, 10],
      ]);
      // windsurf × create_ticket: 25 calls, 40% failing against the tool's 18.2%: ≥ 2× and ≥ 10 points above. Nothing
      // else is.
      expect(matrix.cells.filter((c) => c.flagged).map((c) => [c.clientName, c.tool, c.calls, c.errors])).toEqual([
        ['windsurf-client', 'create_ticket', 25, 10],
      ]);
      expect(matrix.cells.map((c) => `${c.clientName} ${c.tool} ${c.calls}`)).toEqual([
        'windsurf-client create_ticket 25',
        'claude-ai search 40',
        'claude-ai create_ticket 30',
        'cursor-vscode search 20',
        'goose search 5',
      ]);
    });

    it('refuses bad parameters', async () => {
      for (const query of ['limit=0', 'limit=201', 'from=yesterday', `from=${T0 + DAY}&to=${T0}`]) {
        const response = await collector.fetch(`/v1/insights/failures?${query}`, {
          headers: { authorization: `Bearer ${collector.readKey}` },
        });
        expect(response.status, query).toBe(400);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_parameter');
      }
      const shape = await collector.fetch('/v1/insights/session-shape?to=never', {
        headers: { authorization: `Bearer ${collector.readKey}` },
      });
      expect(shape.status).toBe(400);
    });
  });
}
