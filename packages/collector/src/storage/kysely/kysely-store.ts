import type { ValidEvent } from '@mcptrail/protocol';
import { sql, type RawBuilder } from 'kysely';
import type { IngestWriter, StorageEngine } from '../engine.js';
import type { ProjectRow } from '../schema.js';
import type {
  EventPageQuery,
  IngestOutcome,
  KeyAccess,
  NewProject,
  ProjectRecord,
  SenderDrops,
  SessionQuery,
  Store,
  TimeRange,
  UserQuery,
} from '../store.js';
import type { ClientSummary, Page, PagePosition, SessionDetail, SessionSummary, Stats, StoredEvent, ToolDetail, ToolSummary, UserDetail, UserSummary } from '../records.js';
import { num, toSessionSummary, toStoredEvent } from './from-rows.js';
import { IngestCoalescer } from './ingest-coalescer.js';

/** The first `limit` of `rows` (which holds one more when there is a next page), and where the next page starts. */
function pageOf<Row, T>(rows: Row[], limit: number, map: (row: Row) => T, position: (row: Row) => PagePosition): Page<T> {
  const last = rows[limit - 1];
  return { items: rows.slice(0, limit).map(map), next: rows.length > limit && last !== undefined ? position(last) : null };
}

export interface KyselyStoreOptions {
  engine: StorageEngine;
  sessionTimeoutMs: number;
}

const RECENT_FAILURES = 20;
const DEFAULT_EVENT_PAGE = 1000;
const TIMELINE_BUCKETS = 48;
const NICE_BUCKETS_MS = [60e3, 5 * 60e3, 15 * 60e3, 60 * 60e3, 3 * 3600e3, 6 * 3600e3, 12 * 3600e3, 24 * 3600e3, 7 * 24 * 3600e3];

/** The one implementation of storage and queries, on any `StorageEngine`. */
export class KyselyStore implements Store {
  private readonly engine: StorageEngine;
  private readonly writer: IngestWriter;
  private readonly coalescer: IngestCoalescer;
  private closing = false;

  constructor(options: KyselyStoreOptions) {
    const engine = options.engine;
    this.engine = engine;
    this.writer = engine.startIngestWriter(options.sessionTimeoutMs);
    this.coalescer = new IngestCoalescer(this.writer.write, engine.maxEventsPerTransaction);
  }

  get engineName(): string {
    return this.engine.name;
  }

  /** What queries read through; writes, key look-ups and readiness use `this.engine.db`, which never waits behind a query. */
  private get db() {
    return this.engine.readDb;
  }

  async close(): Promise<void> {
    this.closing = true;
    // Requests already taken get their answer; then the writer and the connections go.
    await this.coalescer.idle();
    await this.writer.close();
    await this.engine.close();
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.engine.db);
  }

  async createProject(project: NewProject): Promise<void> {
    await this.engine.db.insertInto('projects').values(toProjectRow(project)).execute();
  }

  createProjectIfNone(project: NewProject): Promise<boolean> {
    return this.engine.writeTransaction(async (trx) => {
      // Instances starting together on an empty database: the first to lock creates it, the others then see it.
      await this.engine.lockName(trx, 'first project');
      if (await trx.selectFrom('projects').select('id').limit(1).executeTakeFirst()) return false;
      await trx.insertInto('projects').values(toProjectRow(project)).execute();
      return true;
    });
  }

  async findProjectByKeyHash(keyHash: string): Promise<{ project: ProjectRecord; access: KeyAccess } | null> {
    const row = await this.engine.db
      .selectFrom('projects')
      .selectAll()
      .where((eb) => eb.or([eb('write_key_hash', '=', keyHash), eb('read_key_hash', '=', keyHash)]))
      .executeTakeFirst();
    if (!row) return null;
    return { project: toProject(row), access: row.write_key_hash === keyHash ? 'write' : 'read' };
  }

  ingest(projectId: string, events: readonly ValidEvent[], dropped: number, receivedAt: number, sender?: SenderDrops): Promise<IngestOutcome> {
    if (this.closing) return Promise.reject(new Error('the store is closed'));
    return this.coalescer.submit({ projectId, events, dropped, sender, receivedAt });
  }

  /** Losses senders reported: counts added up, plus each sender's largest running total. */
  private async droppedEvents(projectId: string): Promise<number> {
    const row = await this.db
      .selectFrom('projects')
      .select((eb) => [
        'dropped_events',
        eb.selectFrom('sender_drops').select((s) => s.fn.sum<number>('dropped_total').as('total')).where('sender_drops.project_id', '=', projectId).as('sender_total'),
      ])
      .where('id', '=', projectId)
      .executeTakeFirst();
    return Number(row?.dropped_events ?? 0) + Number(row?.sender_total ?? 0);
  }

  async listSessions(projectId: string, query: SessionQuery): Promise<Page<SessionSummary>> {
    let q = this.db.selectFrom('sessions').selectAll().where('project_id', '=', projectId);
    if (query.user !== undefined) q = q.where('user_id', '=', query.user);
    if (query.client !== undefined) q = q.where('client_name', '=', query.client);
    if (query.kind !== undefined) q = q.where('kind', '=', query.kind);
    if (query.from !== undefined) q = q.where('ended_at', '>=', query.from);
    if (query.to !== undefined) q = q.where('started_at', '<=', query.to);
    if (query.hasError !== undefined) q = q.where('error_count', query.hasError ? '>' : '=', 0);
    const cursor = query.cursor;
    if (cursor) {
      q = q.where((eb) =>
        eb.or([eb('ended_at', '<', cursor.endedAt), eb.and([eb('ended_at', '=', cursor.endedAt), eb('id', '<', cursor.id)])]),
      );
    }
    const rows = await q.orderBy('ended_at', 'desc').orderBy('id', 'desc').limit(query.limit + 1).execute();
    return pageOf(rows, query.limit, toSessionSummary, (row) => [num(row.ended_at), row.id]);
  }

  async getSession(projectId: string, sessionId: string, page: EventPageQuery = { limit: DEFAULT_EVENT_PAGE }): Promise<SessionDetail | null> {
    const alias = await this.db
      .selectFrom('session_aliases')
      .select('new_id')
      .where('project_id', '=', projectId)
      .where('old_id', '=', sessionId)
      .executeTakeFirst();
    const id = alias?.new_id ?? sessionId;
    const session = await this.db.selectFrom('sessions').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    if (!session) return null;
    const cursor = page.cursor;
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('session_id', '=', id)
      .$if(cursor !== undefined, (q) =>
        q.where((eb) => eb.or([eb('ts', '>', cursor!.ts), eb.and([eb('ts', '=', cursor!.ts), eb('id', '>', cursor!.id)])])),
      )
      .orderBy('ts')
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    return { session: toSessionSummary(session), events: pageOf(rows, page.limit, toStoredEvent, (row) => [num(row.ts), row.id]) };
  }

  async getEvent(projectId: string, eventId: string): Promise<StoredEvent | null> {
    const row = await this.db.selectFrom('events').selectAll().where('project_id', '=', projectId).where('id', '=', eventId).executeTakeFirst();
    return row ? toStoredEvent(row) : null;
  }

  async listUsers(projectId: string, query: UserQuery): Promise<Page<UserSummary>> {
    const cursor = query.cursor;
    const rows = await this.usersQuery(projectId)
      .$if(cursor !== undefined, (q) =>
        q.having((eb) =>
          eb.or([
            eb(eb.fn.max('ended_at'), '<', cursor!.lastSeen),
            eb.and([eb(eb.fn.max('ended_at'), '=', cursor!.lastSeen), eb('user_id', '>', cursor!.id)]),
          ]),
        ),
      )
      .orderBy('last_seen', 'desc')
      .orderBy('user_id')
      .limit(query.limit + 1)
      .execute();
    const users = await this.withClients(projectId, rows.slice(0, query.limit));
    const last = users[query.limit - 1];
    return { items: users, next: rows.length > query.limit && last ? [last.lastSeen, last.id] : null };
  }

  async getUser(projectId: string, userId: string): Promise<UserDetail | null> {
    const rows = await this.usersQuery(projectId).where('user_id', '=', userId).execute();
    const [user] = await this.withClients(projectId, rows);
    if (!user) return null;
    const sessions = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .orderBy('ended_at', 'desc')
      .orderBy('id', 'desc')
      .limit(200)
      .execute();
    return { user, sessions: sessions.map(toSessionSummary) };
  }

  private usersQuery(projectId: string) {
    return this.db
      .selectFrom('sessions')
      .where('project_id', '=', projectId)
      .where('user_id', 'is not', null)
      .groupBy('user_id')
      .select((eb) => [
        'user_id',
        eb.fn.min('started_at').as('first_seen'),
        eb.fn.max('ended_at').as('last_seen'),
        eb.fn.countAll().as('session_count'),
        eb.fn.sum('event_count').as('event_count'),
        eb.fn.sum('error_count').as('error_count'),
      ]);
  }

  private async withClients(
    projectId: string,
    rows: { user_id: string | null; first_seen: unknown; last_seen: unknown; session_count: unknown; event_count: unknown; error_count: unknown }[],
  ): Promise<UserSummary[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.user_id!);
    const pairs = await this.db
      .selectFrom('sessions')
      .select(['user_id', 'client_name'])
      .distinct()
      .where('project_id', '=', projectId)
      .where('user_id', 'in', ids)
      .orderBy('client_name')
      .execute();
    // The name of the most recent session that had one (max() would pick by spelling).
    const named = await this.db
      .selectFrom('sessions')
      .select(['user_id', 'user_name'])
      .where('project_id', '=', projectId)
      .where('user_id', 'in', ids)
      .where('user_name', 'is not', null)
      .orderBy('ended_at', 'desc')
      .execute();
    const names = new Map<string, string>();
    for (const row of named) if (!names.has(row.user_id!)) names.set(row.user_id!, row.user_name!);
    const clients = new Map<string, string[]>();
    for (const pair of pairs) {
      const list = clients.get(pair.user_id!) ?? [];
      list.push(pair.client_name ?? 'unknown');
      clients.set(pair.user_id!, list);
    }
    return rows.map((row) => ({
      id: row.user_id!,
      name: names.get(row.user_id!) ?? null,
      firstSeen: num(row.first_seen),
      lastSeen: num(row.last_seen),
      sessionCount: Number(row.session_count),
      eventCount: Number(row.event_count),
      errorCount: Number(row.error_count),
      clients: clients.get(row.user_id!) ?? [],
    }));
  }

  listTools(projectId: string, range: TimeRange): Promise<ToolSummary[]> {
    return this.toolStats(projectId, range, null);
  }

  async getTool(projectId: string, name: string, range: TimeRange): Promise<ToolDetail | null> {
    const [tool] = await this.toolStats(projectId, range, name);
    if (!tool) return null;
    const failures = await this.db
      .selectFrom('events')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('method', '=', 'tools/call')
      .where('target', '=', name)
      .where('is_error', '=', 1)
      .orderBy('ts', 'desc')
      .limit(RECENT_FAILURES)
      .execute();
    const bucketMs = bucketFor(range);
    const buckets = await this.callStats(projectId, range, timeBucket(bucketMs), name);
    return {
      tool,
      recentFailures: failures.map(toStoredEvent),
      timeline: buckets.map((b) => ({ bucket: num(b.group), calls: b.calls, errors: b.errors, p95Ms: b.p95Ms })),
      bucketMs,
    };
  }

  private async toolStats(projectId: string, range: TimeRange, name: string | null): Promise<ToolSummary[]> {
    const rows = await this.callStats(projectId, range, sql`target`, name);
    return rows
      .sort((a, b) => b.calls - a.calls || (a.group < b.group ? -1 : 1))
      .map((row) => ({
        name: String(row.group),
        calls: row.calls,
        errors: row.errors,
        p50Ms: row.p50Ms,
        p95Ms: row.p95Ms,
        lastCalledAt: row.lastTs,
      }));
  }

  /**
   * Calls, errors and nearest-rank p50/p95 of tool calls per group (tool, or time
   * bucket), in one pass with window functions that every engine runs.
   */
  private async callStats(projectId: string, range: TimeRange, group: RawBuilder<unknown>, target: string | null) {
    const onlyTarget = target === null ? sql`target is not null` : sql`target = ${target}`;
    const result = await sql<{ grp: string | number; calls: number; errors: number; p50: number | null; p95: number | null; last_ts: number }>`
      with ranked as (
        select ${group} as grp, is_error, duration_ms, ts,
          row_number() over (partition by ${group} order by duration_ms nulls last) as rn,
          count(duration_ms) over (partition by ${group}) as n
        from events
        where project_id = ${projectId} and method = 'tools/call' and ${onlyTarget}
          and ts >= ${range.from} and ts <= ${range.to}
      )
      select grp, count(*) as calls, sum(is_error) as errors,
        min(case when duration_ms is not null and rn * 100 >= n * 50 then duration_ms end) as p50,
        min(case when duration_ms is not null and rn * 100 >= n * 95 then duration_ms end) as p95,
        max(ts) as last_ts
      from ranked group by grp order by grp`.execute(this.db);
    return result.rows.map((row) => ({
      group: row.grp,
      calls: Number(row.calls),
      errors: Number(row.errors),
      p50Ms: row.p50 === null ? null : Number(row.p50),
      p95Ms: row.p95 === null ? null : Number(row.p95),
      lastTs: Number(row.last_ts),
    }));
  }

  async stats(projectId: string, range: TimeRange): Promise<Stats> {
    const inRange = this.db
      .selectFrom('events')
      .where('project_id', '=', projectId)
      .where('ts', '>=', range.from)
      .where('ts', '<=', range.to);
    const totals = await inRange
      .select((eb) => [
        eb.fn.countAll().as('events'),
        eb.fn.sum('is_error').as('errors'),
        eb.fn.count('user_id').distinct().as('users'),
        eb.fn.count('duration_ms').as('timed'),
      ])
      .executeTakeFirstOrThrow();
    const timed = Number(totals.timed);
    const p95Row =
      timed === 0
        ? undefined
        : await inRange
            .select('duration_ms')
            .where('duration_ms', 'is not', null)
            .orderBy('duration_ms')
            .limit(1)
            .offset(Math.ceil(timed * 0.95) - 1)
            .executeTakeFirst();
    const sessionsInRange = this.db
      .selectFrom('sessions')
      .where('project_id', '=', projectId)
      .where('ended_at', '>=', range.from)
      .where('started_at', '<=', range.to);
    const clientRows = await sessionsInRange
      .groupBy('client_name')
      .select((eb) => [
        'client_name',
        eb.fn.countAll().as('sessions'),
        eb.fn.sum(eb.case().when('kind', '=', 'anonymous').then(1).else(0).end()).as('anonymous'),
        eb.fn.sum('event_count').as('events'),
        eb.fn.count('user_id').distinct().as('users'),
      ])
      .orderBy('sessions', 'desc')
      .execute();
    const bucketMs = bucketFor(range);
    const bucket = timeBucket(bucketMs);
    const timeline = await inRange
      .select((eb) => [
        bucket.as('bucket'),
        eb.fn.countAll().as('events'),
        eb.fn.sum('is_error').as('errors'),
        eb.fn.count('session_id').distinct().as('sessions'),
      ])
      .groupBy(bucket)
      .orderBy(bucket)
      .execute();
    const dropped = await this.droppedEvents(projectId);
    const events = Number(totals.events);
    const errors = Number(totals.errors ?? 0);
    const clients: ClientSummary[] = clientRows.map((row) => ({
      name: row.client_name,
      sessionCount: Number(row.sessions),
      conversationCount: Number(row.sessions) - Number(row.anonymous ?? 0),
      eventCount: Number(row.events),
      userCount: Number(row.users),
    }));
    const sessions = clients.reduce((sum, client) => sum + client.sessionCount, 0);
    const conversations = clients.reduce((sum, client) => sum + client.conversationCount, 0);
    return {
      from: range.from,
      to: range.to,
      sessions,
      conversations,
      oneRequestAnonymous: sessions - conversations,
      events,
      errors,
      users: Number(totals.users),
      p95Ms: p95Row?.duration_ms == null ? null : Number(p95Row.duration_ms),
      dropped,
      clients,
      timeline: timeline.map((b) => ({ bucket: num(b.bucket), events: num(b.events), errors: num(b.errors), sessions: num(b.sessions) })),
      bucketMs,
    };
  }
}

function toProjectRow(project: NewProject): ProjectRow {
  return {
    id: project.id,
    name: project.name,
    write_key_hash: project.writeKeyHash,
    read_key_hash: project.readKeyHash,
    created_at: project.createdAt,
    dropped_events: 0,
  };
}

function toProject(row: ProjectRow): ProjectRecord {
  return { id: row.id, name: row.name, createdAt: Number(row.created_at) };
}

/** Start of the event's time bucket; integer division on both engines. */
function timeBucket(bucketMs: number): RawBuilder<number> {
  return sql<number>`(ts / ${sql.lit(bucketMs)}) * ${sql.lit(bucketMs)}`;
}

function bucketFor(range: TimeRange): number {
  const ideal = (range.to - range.from) / TIMELINE_BUCKETS;
  return NICE_BUCKETS_MS.find((size) => size >= ideal) ?? NICE_BUCKETS_MS.at(-1)!;
}
