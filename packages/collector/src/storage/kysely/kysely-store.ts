import { sql } from 'kysely';
import type { IngestWriter, StorageEngine } from '../engine.js';
import type { ProjectRow } from '../schema.js';
import type {
  ClientMatrix,
  EventPageQuery,
  FailureClusters,
  FailureQuery,
  IngestOutcome,
  KeyAccess,
  NewProject,
  Page,
  PagePosition,
  PathsQuery,
  ProjectRecord,
  SessionDetail,
  SessionQuery,
  SessionShape,
  SessionSummary,
  Stats,
  Store,
  StoredEvent,
  TimeRange,
  ToolDetail,
  ToolPathsRecord,
  ToolSummary,
  UserDetail,
  UserQuery,
  UserSummary,
  WhatIfQuery,
  WhatIfRecord,
} from '../store.js';
import { DEFAULT_INSIGHT_EVENT_LIMIT } from '../read-limits.js';
import { AggregateQueries } from './aggregate-queries.js';
import { encodeEvents } from '../event-body.js';
import { BodyReader } from './body-reader.js';
import { num, toSessionSummary } from './from-rows.js';
import { IngestCoalescer } from './ingest-coalescer.js';
import { PathQueries } from './path-queries.js';
import { InsightQueries } from './insight-queries.js';

/** The first `limit` of `rows` (which holds one more when there is a next page), and where the next page starts. */
function pageOf<Row, T>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
  position: (row: Row) => PagePosition,
): Page<T> {
  const last = rows[limit - 1];
  return {
    items: rows.slice(0, limit).map(map),
    next: rows.length > limit && last !== undefined ? position(last) : null,
  };
}

export interface KyselyStoreOptions {
  engine: StorageEngine;
  sessionTimeoutMs: number;
  /** Most events one paths or what-if answer reads (default `DEFAULT_INSIGHT_EVENT_LIMIT`). */
  insightEventLimit?: number | undefined;
}

const DEFAULT_EVENT_PAGE = 1000;

/** The one implementation of storage and queries, on any `StorageEngine`. */
export class KyselyStore implements Store {
  /** Public for tests that read the database beside the store (the scan references). */
  readonly engine: StorageEngine;
  private readonly writer: IngestWriter;
  private readonly coalescer: IngestCoalescer;
  private readonly insights: InsightQueries;
  private readonly aggregates: AggregateQueries;
  private readonly paths: PathQueries;
  private readonly bodies = new BodyReader();
  private closing = false;

  constructor(options: KyselyStoreOptions) {
    const engine = options.engine;
    this.engine = engine;
    this.writer = engine.startIngestWriter(options.sessionTimeoutMs);
    this.coalescer = new IngestCoalescer(this.writer.write, engine.maxEventsPerTransaction);
    this.insights = new InsightQueries(() => this.db);
    this.aggregates = new AggregateQueries(() => this.db, engine, this.bodies);
    this.paths = new PathQueries(() => this.db, engine, {
      sessionTimeoutMs: options.sessionTimeoutMs,
      eventLimit: options.insightEventLimit ?? DEFAULT_INSIGHT_EVENT_LIMIT,
    });
  }

  get engineName(): string {
    return this.engine.name;
  }

  /**
   * What queries read through; writes, key look-ups and readiness use `this.engine.db`, which never waits behind a
   * query.
   */
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

  async listProjects(): Promise<ProjectRecord[]> {
    const rows = await this.db.selectFrom('projects').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toProject);
  }

  async replaceProjectKey(projectId: string, access: KeyAccess, keyHash: string): Promise<boolean> {
    const result = await this.engine.db
      .updateTable('projects')
      .set(access === 'write' ? { write_key_hash: keyHash } : { read_key_hash: keyHash })
      .where('id', '=', projectId)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  ingest(...[projectId, events, dropped, receivedAt, sender]: Parameters<Store['ingest']>): Promise<IngestOutcome> {
    if (this.closing) return Promise.reject(new Error('the store is closed'));
    // On the receiving thread, not the writer's: the writer only writes.
    const encoded = encodeEvents(events);
    return this.coalescer.submit({ projectId, ...encoded, dropped, sender, receivedAt });
  }

  /** Losses senders reported: counts added up, plus each sender's largest running total. */
  private async droppedEvents(projectId: string): Promise<number> {
    const row = await this.db
      .selectFrom('projects')
      .select((eb) => [
        'dropped_events',
        eb
          .selectFrom('sender_drops')
          .select((s) => s.fn.sum<number>('dropped_total').as('total'))
          .where('sender_drops.project_id', '=', projectId)
          .as('sender_total'),
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
    if (query.to !== undefined) {
      // Active by `to`, so ended by `to` plus the longest session: a seek on the end, not a walk through newer ones.
      const longest = this.db.selectFrom('projects').select('longest_session_ms').where('id', '=', projectId);
      q = q.where('started_at', '<=', query.to).where('ended_at', '<=', (eb) => eb(eb.val(query.to), '+', longest));
    }
    // A literal: only then can the planner use the partial index of failing sessions (sessions_failing).
    if (query.hasError !== undefined) q = q.where('error_count', query.hasError ? '>' : '=', sql.lit(0));
    const cursor = query.cursor;
    if (cursor) {
      q = q.where((eb) =>
        eb.or([
          eb('ended_at', '<', cursor.endedAt),
          eb.and([eb('ended_at', '=', cursor.endedAt), eb('id', '<', cursor.id)]),
        ]),
      );
    }
    const rows = await q
      .orderBy('ended_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit + 1)
      .execute();
    return pageOf(rows, query.limit, toSessionSummary, (row) => [num(row.ended_at), row.id]);
  }

  async getSession(
    projectId: string,
    sessionId: string,
    page: EventPageQuery = { limit: DEFAULT_EVENT_PAGE },
  ): Promise<SessionDetail | null> {
    const alias = await this.db
      .selectFrom('session_aliases')
      .select('new_id')
      .where('project_id', '=', projectId)
      .where('old_id', '=', sessionId)
      .executeTakeFirst();
    const id = alias?.new_id ?? sessionId;
    const session = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!session) return null;
    const cursor = page.cursor;
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('session_id', '=', id)
      .$if(cursor !== undefined, (q) =>
        q.where((eb) =>
          eb.or([eb('ts', '>', cursor!.ts), eb.and([eb('ts', '=', cursor!.ts), eb('id', '>', cursor!.id)])]),
        ),
      )
      .orderBy('ts')
      .orderBy('id')
      .limit(page.limit + 1)
      .execute();
    const events = pageOf(
      rows,
      page.limit,
      (row) => row,
      (row) => [num(row.ts), row.id],
    );
    return {
      session: toSessionSummary(session),
      events: { ...events, items: await this.bodies.storedEvents(this.db, projectId, events.items) },
    };
  }

  async getEvent(projectId: string, eventId: string): Promise<StoredEvent | null> {
    const row = await this.db
      .selectFrom('events')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('id', '=', eventId)
      .executeTakeFirst();
    return row ? (await this.bodies.storedEvents(this.db, projectId, [row]))[0]! : null;
  }

  listUsers(projectId: string, query: UserQuery): Promise<Page<UserSummary>> {
    return this.aggregates.users(projectId, query);
  }

  getUser(projectId: string, userId: string): Promise<UserDetail | null> {
    return this.aggregates.user(projectId, userId);
  }

  listTools(projectId: string, range: TimeRange): Promise<ToolSummary[]> {
    return this.aggregates.tools(projectId, range);
  }

  getTool(projectId: string, name: string, range: TimeRange): Promise<ToolDetail | null> {
    return this.aggregates.tool(projectId, name, range);
  }

  failureClusters(projectId: string, query: FailureQuery): Promise<FailureClusters> {
    return this.insights.failureClusters(projectId, query, query.limit);
  }

  clientMatrix(projectId: string, range: TimeRange): Promise<ClientMatrix> {
    return this.insights.clientMatrix(projectId, range);
  }

  sessionShape(projectId: string, range: TimeRange): Promise<SessionShape> {
    return this.insights.sessionShape(projectId, range);
  }

  async stats(projectId: string, range: TimeRange): Promise<Stats> {
    return this.aggregates.stats(projectId, range, await this.droppedEvents(projectId));
  }

  toolPaths(projectId: string, query: PathsQuery): Promise<ToolPathsRecord> {
    return this.paths.toolPaths(projectId, query);
  }

  whatIfSessions(projectId: string, query: WhatIfQuery): Promise<WhatIfRecord> {
    return this.paths.whatIf(projectId, query);
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
    longest_session_ms: 0,
  };
}

function toProject(row: ProjectRow): ProjectRecord {
  return { id: row.id, name: row.name, createdAt: Number(row.created_at) };
}
