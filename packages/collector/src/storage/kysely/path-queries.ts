import type { SessionKind } from '@mcptrail/protocol';
import { sql, type Kysely } from 'kysely';
import { ToolPathBuilder } from '../../insights/tool-paths.js';
import { whatIfSessions, type StoredSessionTimes } from '../../insights/what-if-sessions.js';
import type { StorageEngine } from '../engine.js';
import { RangeTooLargeError } from '../read-limits.js';
import type { ToolPathsRecord, WhatIfRecord } from '../records.js';
import type { Database } from '../schema.js';
import type { PathsQuery, WhatIfQuery } from '../store.js';
import { num } from './from-rows.js';

/** Sessions read per statement, each with its requests as one value. */
const SESSION_PAGE = 5_000;
/**
 * Spans of the range read side by side: SQLite reads on two threads by default (`--read-workers`), PostgreSQL on a
 * pool.
 */
const READ_SPANS = 2;
const TABLE_ROWS = 50;
const EXAMPLES = 3;
/** Kinds whose sessions can join or split; anonymous sessions are one request each whatever the timeout. */
const REGROUPED_KINDS = ['grouped', 'conversation', 'stateful'] as const satisfies readonly SessionKind[];

/** `[from, to)` of the sessions' time column; the last span has no end (`to` null). */
interface Span {
  from: number;
  to: number | null;
}

/** `from`–`to` cut into `READ_SPANS` spans of equal length, the last one open-ended. */
function spans(from: number, to: number): Span[] {
  // Whole milliseconds: the columns are integers (PostgreSQL refuses a fraction for a bigint).
  const at = (i: number) => from + Math.floor(((to - from) * i) / READ_SPANS);
  return Array.from({ length: READ_SPANS }, (_, i) => ({ from: at(i), to: i === READ_SPANS - 1 ? null : at(i + 1) }));
}

export interface PathQueryOptions {
  /** The collector's session timeout: a session without a request for this long has ended. */
  sessionTimeoutMs: number;
  /** Most events one answer reads (`RangeTooLargeError` past it). */
  eventLimit: number;
}

/**
 * Insights read from the requests of sessions, not from rollups (docs/adr/0206):
 * sessions page by page through a time index, each with its requests gathered
 * into one JSON value by a correlated subquery over an index on (session_id, ts)
 * that holds every column read, so no event row is visited and a session costs
 * one row. Memory holds the answer being built, and for what-if one time per
 * request read, bounded by `eventLimit`.
 */
export class PathQueries {
  constructor(
    private readonly db: () => Kysely<Database>,
    private readonly engine: StorageEngine,
    private readonly options: PathQueryOptions,
  ) {}

  /** Counts what a page read against the limit. */
  private counter() {
    let read = 0;
    return (events: number) => {
      read += events;
      if (read > this.options.eventLimit) throw new RangeTooLargeError(this.options.eventLimit);
      return read;
    };
  }

  async toolPaths(projectId: string, query: PathsQuery): Promise<ToolPathsRecord> {
    const { range, depth, breadth, now } = query;
    const quietBefore = now - this.options.sessionTimeoutMs;
    const builder = new ToolPathBuilder({ depth, breadth, rows: TABLE_ROWS, examples: EXAMPLES });
    const count = this.counter();
    // Each session's tool calls in time order, from the index of its requests (events_session: session, time, method,
    // tool, outcome) without visiting an event row.
    const calls = this.engine.jsonList(
      this.engine.jsonTuple([sql.ref('e.target'), sql.ref('e.is_error')]),
      sql`e.ts, e.target, e.is_error`,
    );
    let sessions = 0;
    // Spans of start times, the last one closed at `to`; each read page by page.
    const readSpan = async (span: Span) => {
      let cursor: { startedAt: number; id: string } | undefined;
      for (;;) {
        const page = await this.db()
          .selectFrom('sessions as s')
          .select(['s.id', 's.started_at', 's.ended_at'])
          .select(
            sql<
              string | null
            >`(select ${calls} from events e where e.session_id = s.id and e.method = ${sql.lit('tools/call')})`.as(
              'calls',
            ),
          )
          .where('s.project_id', '=', projectId)
          .where('s.started_at', '>=', span.from)
          .where('s.started_at', span.to === null ? '<=' : '<', span.to ?? range.to)
          // One-request anonymous sessions are no path (as in /v1/stats' conversations).
          .where('s.kind', '!=', sql.lit('anonymous'))
          .$if(cursor !== undefined, (q) =>
            q.where((eb) => eb(eb.refTuple('s.started_at', 's.id'), '>', eb.tuple(cursor!.startedAt, cursor!.id))),
          )
          .orderBy('s.started_at')
          .orderBy('s.id')
          .limit(SESSION_PAGE)
          .execute();
        sessions += page.length;
        for (const session of page) {
          const list = JSON.parse(session.calls ?? '[]') as [string | null, number][];
          count(list.length);
          const endedAt = num(session.ended_at);
          builder.add({
            sessionId: session.id,
            endedAt,
            quiet: endedAt < quietBefore,
            calls: list.map(([tool, failed]) => ({ tool: tool ?? '', failed: num(failed) === 1 })),
          });
        }
        const last = page.at(-1);
        if (!last || page.length < SESSION_PAGE) return;
        cursor = { startedAt: num(last.started_at), id: last.id };
      }
    };
    await Promise.all(spans(range.from, range.to).map(readSpan));
    return {
      from: range.from,
      to: range.to,
      depth,
      breadth,
      quietAfterMs: this.options.sessionTimeoutMs,
      sessions,
      ...builder.result(),
    };
  }

  async whatIf(projectId: string, query: WhatIfQuery): Promise<WhatIfRecord> {
    const { range, timeoutsMs } = query;
    const count = this.counter();
    // An anonymous session is one request: only how many there are in the range matters (started_at = ended_at = its
    // time).
    const anonymous = await this.db()
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .where('kind', '=', sql.lit('anonymous'))
      .where('ended_at', '>=', range.from)
      .where('ended_at', '<=', range.to)
      .executeTakeFirstOrThrow();
    const stored: StoredSessionTimes[] = [];
    count(num(anonymous.n));
    // In any order: the regrouping sorts each key's times.
    const times = this.engine.jsonList(sql.ref('e.ts'));
    // Sessions active in the range (ending in it or after it, started before its end), kind by kind, each a seek on
    // (kind, ended_at, id); spans of end times, the last one open (a session may end after the range).
    const readSpan = async (kind: StoredSessionTimes['kind'], span: Span) => {
      let cursor: { endedAt: number; id: string } | undefined;
      for (;;) {
        const page = await this.db()
          .selectFrom('sessions as s')
          .select(['s.id', 's.group_key', 's.ended_at'])
          .select(
            sql<string | null>`(select ${times} from events e
              where e.session_id = s.id and e.ts >= ${range.from} and e.ts <= ${range.to})`.as('times'),
          )
          .where('s.project_id', '=', projectId)
          .where('s.kind', '=', kind)
          .where('s.ended_at', '>=', span.from)
          .$if(span.to !== null, (q) => q.where('s.ended_at', '<', span.to!))
          .where('s.started_at', '<=', range.to)
          .$if(cursor !== undefined, (q) =>
            q.where((eb) => eb(eb.refTuple('s.ended_at', 's.id'), '>', eb.tuple(cursor!.endedAt, cursor!.id))),
          )
          .orderBy('s.ended_at')
          .orderBy('s.id')
          .limit(SESSION_PAGE)
          .execute();
        for (const session of page) {
          const list = JSON.parse(session.times ?? '[]') as number[];
          count(list.length);
          // The key is the one `sessionKeyOf` gave each of the session's events at ingest, stored with the session.
          stored.push({ kind, key: session.group_key, times: list });
        }
        const last = page.at(-1);
        if (!last || page.length < SESSION_PAGE) return;
        cursor = { endedAt: num(last.ended_at), id: last.id };
      }
    };
    await Promise.all(
      REGROUPED_KINDS.flatMap((kind) => spans(range.from, range.to).map((span) => readSpan(kind, span))),
    );
    return {
      from: range.from,
      to: range.to,
      storedTimeoutMs: this.options.sessionTimeoutMs,
      events: count(0),
      ...whatIfSessions(stored, num(anonymous.n), timeoutsMs),
    };
  }
}
