import type { SessionKind } from '@mcptrail/protocol';
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { LatencySketch } from '../../rollups/latency-sketch.js';
import {
  keyOf,
  rollupDeltas,
  rollupTarget,
  type CallsDelta,
  type Grain,
  type RollupDeltas,
} from '../../rollups/rollup-deltas.js';
import { DAY, HOUR, splitRange, type RangeParts } from '../../rollups/time-ranges.js';
import type { StorageEngine } from '../engine.js';
import type { ClientSummary, Stats, ToolDetail, ToolSummary, UserDetail, UserSummary, Page } from '../records.js';
import type { Database } from '../schema.js';
import type { TimeRange, UserQuery } from '../store.js';
import type { BodyReader } from './body-reader.js';
import { num, toRollupEvent, toRollupSession, toSessionSummary } from './from-rows.js';

const TIMELINE_BUCKETS = 48;
const NICE_BUCKETS_MS = [60e3, 5 * 60e3, 15 * 60e3, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY];
const RECENT_FAILURES = 20;
const USER_SESSIONS = 200;

/** About 48 points over the range, in sizes a chart reads well. */
export function bucketFor(range: TimeRange): number {
  const ideal = (range.to - range.from) / TIMELINE_BUCKETS;
  return NICE_BUCKETS_MS.find((size) => size >= ideal) ?? NICE_BUCKETS_MS.at(-1)!;
}

const bucketStart = (t: number, bucketMs: number) => Math.floor(t / bucketMs) * bucketMs;

/**
 * Rows of a rollup in the range's whole hours and days: one statement per
 * span, each a seek on the rollup's key (on SQLite a key-only table cannot
 * seek several ranges OR-ed together, and read every bucket ever instead).
 */
export async function inSpans<T>(parts: RangeParts, read: (span: RawBuilder<SqlBool>) => Promise<T[]>): Promise<T[]> {
  const spans: [Grain, [number, number]][] = [
    ...parts.hours.map((span) => ['hour', span] as [Grain, [number, number]]),
    ...(parts.days ? [['day', parts.days] as [Grain, [number, number]]] : []),
  ];
  const lists = await Promise.all(
    spans.map(([grain, [from, to]]) => read(sql<SqlBool>`grain = ${grain} and bucket >= ${from} and bucket < ${to}`)),
  );
  return lists.flat();
}

/**
 * Every aggregate the API answers, from the rollups (docs/adr/0204): whole days
 * and hours from rollup rows, the partial hours at the range's ends from the
 * events and sessions themselves, through the same deltas ingest writes; so
 * answers are exact (quantiles within the sketch's 1%) and read at most two
 * hours of raw rows, however long the history. A timeline finer than an hour
 * (ranges under a day) is read from the events.
 */
export class AggregateQueries {
  constructor(
    private readonly db: () => Kysely<Database>,
    private readonly engine: StorageEngine,
    private readonly bodies: BodyReader,
  ) {}

  /** What the raw rows in the range's partial hours add: events for calls and users, sessions for starts. */
  private async edges(
    projectId: string,
    parts: RangeParts,
    filter: { method?: string; target?: string } = {},
  ): Promise<RollupDeltas> {
    if (parts.events.length === 0) return rollupDeltas([], [], []);
    // A statement per partial hour, as for the rollups: each a seek on the time index, whatever the statistics say.
    const perSpan = <T>(read: (from: number, to: number) => Promise<T[]>) =>
      Promise.all(parts.events.map(([from, to]) => read(from, to))).then((lists) => lists.flat());
    const events = await perSpan((from, to) =>
      this.db()
        .selectFrom('events')
        .select(['ts', 'method', 'target', 'is_error', 'duration_ms', 'user_id'])
        .where('project_id', '=', projectId)
        .where('ts', '>=', from)
        .where('ts', '<', to)
        .$if(filter.method !== undefined, (q) => q.where('method', '=', filter.method!))
        .$if(filter.target !== undefined, (q) => q.where('target', '=', filter.target!))
        .execute(),
    );
    const sessions =
      filter.method === undefined
        ? await perSpan((from, to) =>
            this.db()
              .selectFrom('sessions')
              .selectAll()
              .where('project_id', '=', projectId)
              .where('started_at', '>=', from)
              .where('started_at', '<', to)
              .execute(),
          )
        : [];
    return rollupDeltas(events.map(toRollupEvent), [], sessions.map(toRollupSession));
  }

  /** Calls per (bucket, method, target) in the range: rollup rows plus the edges' hour rows. */
  /** The calls of a range by bucket; `sketches: false` leaves each row's durations empty (not read, not decoded). */
  private async calls(
    projectId: string,
    range: TimeRange,
    days: boolean,
    filter: { method?: string; target?: string },
    edges?: RollupDeltas,
    sketches = true,
  ): Promise<CallsDelta[]> {
    const parts = splitRange(range.from, range.to, { days });
    const rows = await inSpans(parts, (span) =>
      this.db()
        .selectFrom('rollup_calls')
        .select(['grain', 'bucket', 'method', 'target', 'calls', 'errors', 'last_ts'])
        .$if(sketches, (q) => q.select('durations'))
        .where('project_id', '=', projectId)
        .where(span)
        .$if(filter.method !== undefined, (q) => q.where('method', '=', filter.method!))
        .$if(filter.target !== undefined, (q) => q.where('target', '=', filter.target!))
        .execute(),
    );
    const fromRollups = rows.map((row) => ({
      grain: row.grain,
      bucket: num(row.bucket),
      method: row.method,
      target: row.target,
      calls: num(row.calls),
      errors: num(row.errors),
      lastTs: num(row.last_ts),
      durations: 'durations' in row ? LatencySketch.decode(row.durations) : new LatencySketch(),
    }));
    const edge = edges ?? (await this.edges(projectId, parts, filter));
    return [...fromRollups, ...edge.calls.filter((c) => c.grain === 'hour')];
  }

  async stats(projectId: string, range: TimeRange, dropped: number): Promise<Stats> {
    const bucketMs = bucketFor(range);
    // A timeline of day buckets sums days; finer ones sum hours (or events, under an hour). Totals sum days where they
    // can.
    const timelineParts = splitRange(range.from, range.to, { days: bucketMs >= DAY });
    const totalParts = splitRange(range.from, range.to);
    // The partial hours at the ends are the same in both splits.
    const edges = await this.edges(projectId, totalParts);
    // An hourly timeline counts by hour; the range's latency merges day sketches where it can (a week of hourly
    // sketches was most of a 7-day answer).
    const hourly = bucketMs >= HOUR && bucketMs < DAY;
    const [calls, sketches, users, starts, clientUsers] = await Promise.all([
      bucketMs < HOUR
        ? this.callsFromEvents(projectId, range)
        : this.calls(projectId, range, bucketMs >= DAY, {}, edges, !hourly),
      hourly ? this.calls(projectId, range, true, {}, edges) : null,
      this.activeUsers(projectId, totalParts, edges),
      this.sessionStarts(projectId, timelineParts, edges),
      this.clientUserCounts(projectId, totalParts, edges),
    ]);
    const durations = new LatencySketch();
    const timeline = new Map<number, { bucket: number; events: number; errors: number; sessions: number }>();
    const at = (t: number) => {
      const bucket = bucketStart(t, bucketMs);
      let point = timeline.get(bucket);
      if (!point) timeline.set(bucket, (point = { bucket, events: 0, errors: 0, sessions: 0 }));
      return point;
    };
    let events = 0;
    let errors = 0;
    for (const row of sketches ?? calls) durations.merge(row.durations);
    for (const row of calls) {
      events += row.calls;
      errors += row.errors;
      const point = at(row.bucket);
      point.events += row.calls;
      point.errors += row.errors;
    }
    const byClient = new Map<string, ClientSummary>();
    for (const start of starts) {
      const client = byClient.get(start.client) ?? {
        name: start.client === '' ? null : start.client,
        sessionCount: 0,
        conversationCount: 0,
        eventCount: 0,
        userCount: 0,
      };
      client.sessionCount += start.sessions;
      if (start.kind !== 'anonymous') client.conversationCount += start.sessions;
      client.eventCount += start.events;
      byClient.set(start.client, client);
      if (start.sessions !== 0 && bucketMs >= HOUR) at(start.bucket).sessions += start.sessions;
    }
    if (bucketMs < HOUR)
      for (const [bucket, sessions] of await this.startsFromSessions(projectId, range, bucketMs))
        at(bucket).sessions += sessions;
    for (const [client, count] of clientUsers) {
      const summary = byClient.get(client);
      if (summary) summary.userCount = count;
    }
    const clients = [...byClient.values()]
      .filter((c) => c.sessionCount > 0)
      .sort((a, b) => b.sessionCount - a.sessionCount || ((a.name ?? '') < (b.name ?? '') ? -1 : 1));
    const sessions = clients.reduce((n, c) => n + c.sessionCount, 0);
    const conversations = clients.reduce((n, c) => n + c.conversationCount, 0);
    return {
      from: range.from,
      to: range.to,
      sessions,
      conversations,
      oneRequestAnonymous: sessions - conversations,
      events,
      errors,
      users,
      p95Ms: durations.quantile(0.95),
      dropped,
      clients,
      timeline: [...timeline.values()]
        .filter((p) => p.events > 0 || p.sessions > 0)
        .sort((a, b) => a.bucket - b.bucket),
      bucketMs,
    };
  }

  /** Distinct users with an event in the range: presence rows and the edges' users. */
  private async activeUsers(projectId: string, parts: RangeParts, edges: RollupDeltas): Promise<number> {
    const rows = await inSpans(parts, (span) =>
      this.db()
        .selectFrom('rollup_active_users')
        .select('user_id')
        .distinct()
        .where('project_id', '=', projectId)
        .where(span)
        .execute(),
    );
    return new Set([...rows.map((row) => row.user_id), ...edges.activeUsers.map((u) => u.userId)]).size;
  }

  /** Sessions that started in the range, per (bucket, client, kind). */
  private async sessionStarts(projectId: string, parts: RangeParts, edges: RollupDeltas) {
    const rows = await inSpans(parts, (span) =>
      this.db()
        .selectFrom('rollup_session_starts')
        .select(['bucket', 'client_name', 'kind', 'sessions', 'events'])
        .where('project_id', '=', projectId)
        .where(span)
        .execute(),
    );
    return [
      ...rows.map((r) => ({
        bucket: num(r.bucket),
        client: r.client_name,
        kind: r.kind as SessionKind,
        sessions: num(r.sessions),
        events: num(r.events),
      })),
      ...edges.sessionStarts.filter((s) => s.grain === 'hour'),
    ];
  }

  /** Distinct users per client among the sessions that started in the range. */
  private async clientUserCounts(
    projectId: string,
    parts: RangeParts,
    edges: RollupDeltas,
  ): Promise<Map<string, number>> {
    const rows = await inSpans(parts, (span) =>
      this.db()
        .selectFrom('rollup_client_users')
        .select(['client_name', 'user_id'])
        .distinct()
        .where('project_id', '=', projectId)
        .where('sessions', '>', 0)
        .where(span)
        .execute(),
    );
    const pairs = [
      ...rows.map((r) => ({ client: r.client_name, userId: r.user_id })),
      ...edges.clientUsers.filter((pair) => pair.grain === 'hour' && pair.sessions > 0),
    ];
    const users = new Map<string, Set<string>>();
    for (const { client, userId } of pairs)
      (users.get(client) ?? users.set(client, new Set()).get(client)!).add(userId);
    return new Map([...users].map(([client, ids]) => [client, ids.size]));
  }

  /**
   * Under an hour a bucket is finer than the rollups: the range is short (under a
   * day, by `bucketFor`), so its events are read, one row per (bucket, method, target).
   */
  private async callsFromEvents(
    projectId: string,
    range: TimeRange,
    filter: { method?: string; target?: string } = {},
  ): Promise<CallsDelta[]> {
    const bucketMs = bucketFor(range);
    const rows = await this.db()
      .selectFrom('events')
      .select(['ts', 'method', 'target', 'is_error', 'duration_ms'])
      .where('project_id', '=', projectId)
      .where('ts', '>=', range.from)
      .where('ts', '<=', range.to)
      .$if(filter.method !== undefined, (q) => q.where('method', '=', filter.method!))
      .$if(filter.target !== undefined, (q) => q.where('target', '=', filter.target!))
      .execute();
    const buckets = new Map<string, CallsDelta>();
    for (const row of rows) {
      const bucket = bucketStart(num(row.ts), bucketMs);
      const target = rollupTarget(row.method, row.target);
      const key = keyOf(bucket, row.method, target);
      let delta = buckets.get(key);
      if (!delta)
        buckets.set(
          key,
          (delta = {
            grain: 'hour',
            bucket,
            method: row.method,
            target,
            calls: 0,
            errors: 0,
            lastTs: 0,
            durations: new LatencySketch(),
          }),
        );
      delta.calls++;
      delta.lastTs = Math.max(delta.lastTs, num(row.ts));
      if (num(row.is_error) === 1) delta.errors++;
      if (row.duration_ms !== null) delta.durations.add(num(row.duration_ms));
    }
    return [...buckets.values()];
  }

  private async startsFromSessions(
    projectId: string,
    range: TimeRange,
    bucketMs: number,
  ): Promise<Map<number, number>> {
    const rows = await this.db()
      .selectFrom('sessions')
      .select('started_at')
      .where('project_id', '=', projectId)
      .where('started_at', '>=', range.from)
      .where('started_at', '<=', range.to)
      .execute();
    const buckets = new Map<number, number>();
    for (const row of rows) {
      const bucket = bucketStart(num(row.started_at), bucketMs);
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
    }
    return buckets;
  }

  async tools(projectId: string, range: TimeRange): Promise<ToolSummary[]> {
    const rows = await this.calls(projectId, range, true, { method: 'tools/call' });
    return summarizeTools(rows);
  }

  async tool(projectId: string, name: string, range: TimeRange): Promise<ToolDetail | null> {
    const bucketMs = bucketFor(range);
    const filter = { method: 'tools/call', target: name };
    const rows =
      bucketMs < HOUR
        ? await this.callsFromEvents(projectId, range, filter)
        : await this.calls(projectId, range, bucketMs >= DAY, filter);
    const [tool] = summarizeTools(rows);
    if (!tool) return null;
    const buckets = new Map<number, { bucket: number; calls: number; errors: number; durations: LatencySketch }>();
    for (const row of rows) {
      const bucket = bucketStart(row.bucket, bucketMs);
      const point = buckets.get(bucket) ?? { bucket, calls: 0, errors: 0, durations: new LatencySketch() };
      point.calls += row.calls;
      point.errors += row.errors;
      point.durations.merge(row.durations);
      buckets.set(bucket, point);
    }
    const failures = await this.db()
      .selectFrom('events')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('target', '=', name)
      // A literal, not a parameter: only then can the planner use the partial index of failures (events_failures).
      .where('is_error', '=', sql.lit(1))
      .where('method', '=', 'tools/call')
      .orderBy('ts', 'desc')
      .limit(RECENT_FAILURES)
      .execute();
    return {
      tool,
      recentFailures: await this.bodies.storedEvents(this.db(), projectId, failures),
      timeline: [...buckets.values()]
        .sort((a, b) => a.bucket - b.bucket)
        .map((p) => ({ bucket: p.bucket, calls: p.calls, errors: p.errors, p95Ms: p.durations.quantile(0.95) })),
      bucketMs,
    };
  }

  async users(projectId: string, query: UserQuery): Promise<Page<UserSummary>> {
    const cursor = query.cursor;
    const rows = await this.db()
      .selectFrom('user_summaries')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('sessions', '>', 0)
      .$if(cursor !== undefined, (q) =>
        q.where((eb) =>
          eb.or([
            eb('last_seen', '<', cursor!.lastSeen),
            eb.and([eb('last_seen', '=', cursor!.lastSeen), eb('user_id', '>', cursor!.id)]),
          ]),
        ),
      )
      .orderBy('last_seen', 'desc')
      .orderBy('user_id')
      .limit(query.limit + 1)
      .execute();
    const page = rows.slice(0, query.limit);
    const users = await this.withClients(projectId, page);
    const last = users.at(-1);
    return { items: users, next: rows.length > query.limit && last ? [last.lastSeen, last.id] : null };
  }

  async user(projectId: string, userId: string): Promise<UserDetail | null> {
    const row = await this.db()
      .selectFrom('user_summaries')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .where('sessions', '>', 0)
      .executeTakeFirst();
    if (!row) return null;
    const [user] = await this.withClients(projectId, [row]);
    const sessions = await this.db()
      .selectFrom('sessions')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .orderBy('ended_at', 'desc')
      .orderBy('id', 'desc')
      .limit(USER_SESSIONS)
      .execute();
    return { user: user!, sessions: sessions.map(toSessionSummary) };
  }

  private async withClients(projectId: string, rows: Database['user_summaries'][]): Promise<UserSummary[]> {
    if (rows.length === 0) return [];
    const clients = await this.db()
      .selectFrom('user_clients')
      .select(['user_id', 'client_name'])
      .where('project_id', '=', projectId)
      .where('sessions', '>', 0)
      .where(
        this.engine.inList(
          'user_id',
          rows.map((r) => r.user_id),
        ),
      )
      .execute();
    const byUser = new Map<string, string[]>();
    for (const row of clients)
      (byUser.get(row.user_id) ?? byUser.set(row.user_id, []).get(row.user_id)!).push(
        row.client_name === '' ? 'unknown' : row.client_name,
      );
    for (const names of byUser.values()) names.sort();
    return rows.map((row) => ({
      id: row.user_id,
      name: row.name,
      firstSeen: num(row.first_seen),
      lastSeen: num(row.last_seen),
      sessionCount: num(row.sessions),
      eventCount: num(row.events),
      errorCount: num(row.errors),
      clients: byUser.get(row.user_id) ?? [],
    }));
  }
}

function summarizeTools(rows: CallsDelta[]): ToolSummary[] {
  const tools = new Map<
    string,
    { name: string; calls: number; errors: number; lastTs: number; durations: LatencySketch }
  >();
  for (const row of rows) {
    if (row.target === '') continue;
    const tool = tools.get(row.target) ?? {
      name: row.target,
      calls: 0,
      errors: 0,
      lastTs: 0,
      durations: new LatencySketch(),
    };
    tool.calls += row.calls;
    tool.errors += row.errors;
    tool.lastTs = Math.max(tool.lastTs, row.lastTs);
    tool.durations.merge(row.durations);
    tools.set(row.target, tool);
  }
  return [...tools.values()]
    .sort((a, b) => b.calls - a.calls || (a.name < b.name ? -1 : 1))
    .map((t) => ({
      name: t.name,
      calls: t.calls,
      errors: t.errors,
      p50Ms: t.durations.quantile(0.5),
      p95Ms: t.durations.quantile(0.95),
      lastCalledAt: t.lastTs,
    }));
}
