/**
 * The aggregates the API answers, written the obvious way: read every event
 * and session the answer covers and count them. Tests hold the rollups to it
 * (`store.contract.ts`); it is what the store did before rollups.
 */
import type { Kysely } from 'kysely';
import { clientMatrix, totalsOfCall, type ClientMatrix } from '../src/rollups/client-matrix.js';
import { clientCallDeltas, type ClientCallChange } from '../src/rollups/client-call-deltas.js';
import { LatencySketch } from '../src/rollups/latency-sketch.js';
import { bucketFor } from '../src/storage/kysely/aggregate-queries.js';
import { callFactsOfRow, labelOf } from '../src/storage/kysely/client-calls.js';
import type { Stats, ToolSummary, UserSummary } from '../src/storage/records.js';
import type { Database } from '../src/storage/schema.js';
import type { TimeRange } from '../src/storage/store.js';

const num = Number;

/** Nearest rank: the value at rank ⌈q·n⌉ of the sorted values. */
function nearestRank(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

const bucketOf = (t: number, bucketMs: number) => Math.floor(t / bucketMs) * bucketMs;

export async function scanStats(
  db: Kysely<Database>,
  projectId: string,
  range: TimeRange,
  dropped: number,
): Promise<Stats> {
  const bucketMs = bucketFor(range);
  const events = await db
    .selectFrom('events')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('ts', '>=', range.from)
    .where('ts', '<=', range.to)
    .execute();
  const sessions = await db
    .selectFrom('sessions')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('started_at', '>=', range.from)
    .where('started_at', '<=', range.to)
    .execute();
  const timeline = new Map<number, { bucket: number; events: number; errors: number; sessions: number }>();
  const at = (t: number) =>
    timeline.get(bucketOf(t, bucketMs)) ??
    timeline
      .set(bucketOf(t, bucketMs), { bucket: bucketOf(t, bucketMs), events: 0, errors: 0, sessions: 0 })
      .get(bucketOf(t, bucketMs))!;
  for (const event of events) {
    at(num(event.ts)).events++;
    if (num(event.is_error) === 1) at(num(event.ts)).errors++;
  }
  const clients = new Map<
    string | null,
    { name: string | null; sessionCount: number; conversationCount: number; eventCount: number; users: Set<string> }
  >();
  for (const session of sessions) {
    at(num(session.started_at)).sessions++;
    const client = clients.get(session.client_name) ?? {
      name: session.client_name,
      sessionCount: 0,
      conversationCount: 0,
      eventCount: 0,
      users: new Set<string>(),
    };
    client.sessionCount++;
    if (session.kind !== 'anonymous') client.conversationCount++;
    client.eventCount += num(session.event_count);
    if (session.user_id !== null) client.users.add(session.user_id);
    clients.set(session.client_name, client);
  }
  const summaries = [...clients.values()]
    .map(({ users, ...c }) => ({ ...c, userCount: users.size }))
    .sort((a, b) => b.sessionCount - a.sessionCount || ((a.name ?? '') < (b.name ?? '') ? -1 : 1));
  const sessionCount = sessions.length;
  const conversations = sessions.filter((s) => s.kind !== 'anonymous').length;
  return {
    from: range.from,
    to: range.to,
    sessions: sessionCount,
    conversations,
    oneRequestAnonymous: sessionCount - conversations,
    events: events.length,
    errors: events.filter((e) => num(e.is_error) === 1).length,
    users: new Set(events.map((e) => e.user_id).filter((u) => u !== null)).size,
    p95Ms: nearestRank(
      events.filter((e) => e.duration_ms !== null).map((e) => num(e.duration_ms)),
      0.95,
    ),
    dropped,
    clients: summaries,
    timeline: [...timeline.values()].sort((a, b) => a.bucket - b.bucket),
    bucketMs,
  };
}

/** Tool calls in the range, of one tool when `only` names it. */
function scanToolCalls(db: Kysely<Database>, projectId: string, range: TimeRange, only?: string) {
  return db
    .selectFrom('events')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('method', '=', 'tools/call')
    .where('target', 'is not', null)
    .where('ts', '>=', range.from)
    .where('ts', '<=', range.to)
    .$if(only !== undefined, (q) => q.where('target', '=', only!))
    .execute();
}

export async function scanTools(
  db: Kysely<Database>,
  projectId: string,
  range: TimeRange,
  only?: string,
): Promise<ToolSummary[]> {
  const calls = await scanToolCalls(db, projectId, range, only);
  const tools = new Map<string, typeof calls>();
  for (const call of calls) (tools.get(call.target!) ?? tools.set(call.target!, []).get(call.target!)!).push(call);
  return [...tools]
    .map(([name, rows]) => {
      const durations = rows.filter((r) => r.duration_ms !== null).map((r) => num(r.duration_ms));
      return {
        name,
        calls: rows.length,
        errors: rows.filter((r) => num(r.is_error) === 1).length,
        p50Ms: nearestRank(durations, 0.5),
        p95Ms: nearestRank(durations, 0.95),
        lastCalledAt: Math.max(...rows.map((r) => num(r.ts))),
      };
    })
    .sort((a, b) => b.calls - a.calls || (a.name < b.name ? -1 : 1));
}

/** Every user with a session, most recently seen first: what `/v1/users` pages through. */
export async function scanUsers(db: Kysely<Database>, projectId: string): Promise<UserSummary[]> {
  const sessions = await db
    .selectFrom('sessions')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('user_id', 'is not', null)
    .execute();
  const users = new Map<string, typeof sessions>();
  for (const session of sessions)
    (users.get(session.user_id!) ?? users.set(session.user_id!, []).get(session.user_id!)!).push(session);
  return [...users]
    .map(([id, rows]) => {
      const named = rows
        .filter((r) => r.user_name !== null)
        .sort((a, b) => num(b.ended_at) - num(a.ended_at) || (b.user_name! > a.user_name! ? 1 : -1));
      return {
        id,
        name: named[0]?.user_name ?? null,
        firstSeen: Math.min(...rows.map((r) => num(r.started_at))),
        lastSeen: Math.max(...rows.map((r) => num(r.ended_at))),
        sessionCount: rows.length,
        eventCount: rows.reduce((n, r) => n + num(r.event_count), 0),
        errorCount: rows.reduce((n, r) => n + num(r.error_count), 0),
        clients: [...new Set(rows.map((r) => r.client_name ?? 'unknown'))].sort(),
      };
    })
    .sort((a, b) => b.lastSeen - a.lastSeen || (a.id < b.id ? -1 : 1));
}

/** A tool's calls per timeline bucket, as `/v1/tools/{name}` charts them. */
export async function scanToolTimeline(db: Kysely<Database>, projectId: string, name: string, range: TimeRange) {
  const bucketMs = bucketFor(range);
  const calls = await scanToolCalls(db, projectId, range, name);
  const buckets = new Map<number, typeof calls>();
  for (const call of calls)
    (
      buckets.get(bucketOf(num(call.ts), bucketMs)) ??
      buckets.set(bucketOf(num(call.ts), bucketMs), []).get(bucketOf(num(call.ts), bucketMs))!
    ).push(call);
  return {
    bucketMs,
    timeline: [...buckets]
      .sort(([a], [b]) => a - b)
      .map(([bucket, rows]) => ({
        bucket,
        calls: rows.length,
        errors: rows.filter((r) => num(r.is_error) === 1).length,
        p95Ms: nearestRank(
          rows.filter((r) => r.duration_ms !== null).map((r) => num(r.duration_ms)),
          0.95,
        ),
      })),
  };
}

/** Rollup rows below zero: each means a bug in the deltas, even where an answer filters the row out. */
export async function negativeRollupRows(db: Kysely<Database>, projectId: string): Promise<number> {
  const count = async (query: { execute(): Promise<unknown[]> }) => (await query.execute()).length;
  return (
    (await count(
      db
        .selectFrom('rollup_session_starts')
        .select('bucket')
        .where('project_id', '=', projectId)
        .where((eb) => eb.or([eb('sessions', '<', 0), eb('events', '<', 0)])),
    )) +
    (await count(
      db
        .selectFrom('rollup_client_users')
        .select('bucket')
        .where('project_id', '=', projectId)
        .where('sessions', '<', 0),
    )) +
    (await count(
      db
        .selectFrom('rollup_client_calls')
        .select('bucket')
        .where('project_id', '=', projectId)
        .where((eb) => eb.or([eb('calls', '<', 0), eb('errors', '<', 0), eb('invalid_arguments', '<', 0)])),
    )) +
    (await count(
      db.selectFrom('user_clients').select('user_id').where('project_id', '=', projectId).where('sessions', '<', 0),
    )) +
    (await count(
      db
        .selectFrom('user_summaries')
        .select('user_id')
        .where('project_id', '=', projectId)
        .where((eb) => eb.or([eb('sessions', '<', 0), eb('events', '<', 0), eb('errors', '<', 0)])),
    ))
  );
}

/** Every tool call (in `range`, when given) with its session's label: what `rollup_client_calls` counts. */
async function labelledCalls(db: Kysely<Database>, projectId: string, range?: TimeRange): Promise<ClientCallChange[]> {
  const rows = await db
    .selectFrom('events')
    .innerJoin('sessions', 'sessions.id', 'events.session_id')
    .selectAll('events')
    .select(['sessions.client_name as label', 'sessions.client_version as label_version'])
    .where('events.project_id', '=', projectId)
    .where('events.method', '=', 'tools/call')
    .where('events.target', 'is not', null)
    .$if(range !== undefined, (q) => q.where('events.ts', '>=', range!.from).where('events.ts', '<=', range!.to))
    .execute();
  return rows.map((row) => ({
    call: callFactsOfRow(row),
    label: labelOf({ clientName: row.label, clientVersion: row.label_version }),
    sign: 1,
  }));
}

/**
 * The client matrix from every tool call in the range and its session's label, as `/v1/insights/clients` answers it.
 */
export async function scanClientMatrix(
  db: Kysely<Database>,
  projectId: string,
  range: TimeRange,
): Promise<ClientMatrix> {
  const calls = (await labelledCalls(db, projectId, range)).map(({ label, call }) => totalsOfCall(label, call));
  return clientMatrix(
    calls.map((c) => c.totals),
    calls.map((c) => c.latency),
  );
}

/**
 * Client rollup rows (counts, and latency sketches) that differ from the rows
 * the stored calls give under their sessions' current labels, every grain and
 * bucket: each is a bug in the moves, even where no answer shows it.
 */
export async function clientCallRowMismatches(db: Kysely<Database>, projectId: string): Promise<string[]> {
  const countText = (r: {
    grain: string;
    bucket: number;
    client: string;
    version: string;
    protocol: string;
    target: string;
    calls: number;
    errors: number;
    invalidArguments: number;
  }) => [r.grain, r.bucket, r.client, r.version, r.protocol, r.target, r.calls, r.errors, r.invalidArguments].join('|');
  const latencyText = (r: {
    grain: string;
    bucket: number;
    client: string;
    version: string;
    protocol: string;
    durations: LatencySketch;
  }) =>
    [r.grain, r.bucket, r.client, r.version, r.protocol, Buffer.from(r.durations.encode()).toString('hex')].join('|');
  const deltas = clientCallDeltas(await labelledCalls(db, projectId));
  const expected = new Set([...deltas.calls.map(countText), ...deltas.latency.map(latencyText)]);
  const counts = await db.selectFrom('rollup_client_calls').selectAll().where('project_id', '=', projectId).execute();
  const sketches = await db
    .selectFrom('rollup_client_latency')
    .selectAll()
    .where('project_id', '=', projectId)
    .execute();
  const label = (r: {
    grain: string;
    bucket: unknown;
    client_name: string;
    client_version: string;
    protocol_version: string;
  }) => ({
    grain: r.grain,
    bucket: num(r.bucket),
    client: r.client_name,
    version: r.client_version,
    protocol: r.protocol_version,
  });
  // Rows that moves emptied stay, at 0.
  const actual = new Set([
    ...counts
      .map((r) => ({
        ...label(r),
        target: r.target,
        calls: num(r.calls),
        errors: num(r.errors),
        invalidArguments: num(r.invalid_arguments),
      }))
      .filter((r) => r.calls !== 0 || r.errors !== 0 || r.invalidArguments !== 0)
      .map(countText),
    ...sketches
      .map((r) => ({ ...label(r), durations: LatencySketch.decode(r.durations) }))
      .filter((r) => !r.durations.isEmpty)
      .map(latencyText),
  ]);
  return [
    ...[...expected].filter((row) => !actual.has(row)).map((row) => `missing ${row}`),
    ...[...actual].filter((row) => !expected.has(row)).map((row) => `extra ${row}`),
  ];
}
