import type { SessionKind } from '@mcptrail/protocol';
import { sql, type Kysely } from 'kysely';
import { ToolPathBuilder, type SessionToolCalls } from '../../insights/tool-paths.js';
import { whatIfSessions, type StoredSessionTimes } from '../../insights/what-if-sessions.js';
import type { StorageEngine } from '../engine.js';
import { RangeTooLargeError } from '../read-limits.js';
import type { ToolPathsRecord, WhatIfRecord } from '../records.js';
import type { Database } from '../schema.js';
import type { PathsQuery, WhatIfQuery } from '../store.js';
import { num } from './from-rows.js';

/** Sessions read per statement: each page's events are one more statement, a seek per session. */
const SESSION_PAGE = 2_000;
const TABLE_ROWS = 50;
const EXAMPLES = 3;

export interface PathQueryOptions {
  /** The collector's session timeout: a session without a request for this long has ended. */
  sessionTimeoutMs: number;
  /** Most events one answer reads (`RangeTooLargeError` past it). */
  eventLimit: number;
}

/**
 * Insights read from the events of sessions, not from rollups (docs/adr/0206):
 * sessions page by page through their time index, then each page's events
 * through an index on (session_id, ts) that holds every column read, so no
 * event row is visited. Memory holds the answer being built, and for what-if
 * one time per event read, bounded by `eventLimit`.
 */
export class PathQueries {
  constructor(
    private readonly db: () => Kysely<Database>,
    private readonly engine: StorageEngine,
    private readonly options: PathQueryOptions,
  ) {}

  async toolPaths(projectId: string, query: PathsQuery): Promise<ToolPathsRecord> {
    const { range, depth, breadth, now } = query;
    const quietBefore = now - this.options.sessionTimeoutMs;
    const builder = new ToolPathBuilder({ depth, breadth, rows: TABLE_ROWS, examples: EXAMPLES });
    let sessions = 0;
    let read = 0;
    let cursor: { startedAt: number; id: string } | undefined;
    for (;;) {
      const page = await this.db()
        .selectFrom('sessions')
        .select(['id', 'started_at', 'ended_at'])
        .where('project_id', '=', projectId)
        .where('started_at', '>=', range.from)
        .where('started_at', '<=', range.to)
        // One-request anonymous sessions are no path (as in /v1/stats' conversations).
        .where('kind', '!=', sql.lit('anonymous'))
        .$if(cursor !== undefined, (q) => q.where((eb) => eb(eb.refTuple('started_at', 'id'), '>', eb.tuple(cursor!.startedAt, cursor!.id))))
        .orderBy('started_at')
        .orderBy('id')
        .limit(SESSION_PAGE)
        .execute();
      if (page.length === 0) break;
      sessions += page.length;
      const calls = await this.db()
        .selectFrom('events')
        .select(['session_id', 'ts', 'target', 'is_error'])
        .where(this.engine.inList('session_id', page.map((s) => s.id)))
        // A literal: only then can the planner use the partial index of tool calls (events_tool_steps).
        .where('method', '=', sql.lit('tools/call'))
        .execute();
      read += calls.length;
      if (read > this.options.eventLimit) throw new RangeTooLargeError(this.options.eventLimit);
      const bySession = new Map<string, { ts: number; tool: string; failed: boolean }[]>();
      for (const call of calls) {
        let list = bySession.get(call.session_id);
        if (!list) bySession.set(call.session_id, (list = []));
        list.push({ ts: num(call.ts), tool: call.target ?? '', failed: num(call.is_error) === 1 });
      }
      for (const session of page) {
        const list = bySession.get(session.id) ?? [];
        list.sort((a, b) => a.ts - b.ts || (a.tool < b.tool ? -1 : a.tool > b.tool ? 1 : Number(a.failed) - Number(b.failed)));
        const endedAt = num(session.ended_at);
        builder.add({ sessionId: session.id, endedAt, quiet: endedAt < quietBefore, calls: list } satisfies SessionToolCalls);
      }
      const last = page.at(-1)!;
      cursor = { startedAt: num(last.started_at), id: last.id };
      if (page.length < SESSION_PAGE) break;
    }
    return { from: range.from, to: range.to, depth, breadth, quietAfterMs: this.options.sessionTimeoutMs, sessions, ...builder.result() };
  }

  async whatIf(projectId: string, query: WhatIfQuery): Promise<WhatIfRecord> {
    const { range, timeoutsMs } = query;
    const stored: StoredSessionTimes[] = [];
    let read = 0;
    let cursor: { endedAt: number; id: string } | undefined;
    for (;;) {
      // Sessions active in the range: ending in it or after it, started before its end.
      const page = await this.db()
        .selectFrom('sessions')
        .select(['id', 'kind', 'group_key', 'ended_at'])
        .where('project_id', '=', projectId)
        .where('ended_at', '>=', range.from)
        .where('started_at', '<=', range.to)
        .$if(cursor !== undefined, (q) => q.where((eb) => eb(eb.refTuple('ended_at', 'id'), '>', eb.tuple(cursor!.endedAt, cursor!.id))))
        .orderBy('ended_at')
        .orderBy('id')
        .limit(SESSION_PAGE)
        .execute();
      if (page.length === 0) break;
      const events = await this.db()
        .selectFrom('events')
        .select(['session_id', 'ts'])
        .where(this.engine.inList('session_id', page.map((s) => s.id)))
        .where('ts', '>=', range.from)
        .where('ts', '<=', range.to)
        .execute();
      read += events.length;
      if (read > this.options.eventLimit) throw new RangeTooLargeError(this.options.eventLimit);
      const times = new Map<string, number[]>(page.map((s) => [s.id, []]));
      for (const event of events) times.get(event.session_id)!.push(num(event.ts));
      // The key is the one `sessionKeyOf` gave each of the session's events at ingest, stored with the session.
      for (const session of page) stored.push({ kind: session.kind as SessionKind, key: session.group_key, times: times.get(session.id)! });
      const last = page.at(-1)!;
      cursor = { endedAt: num(last.ended_at), id: last.id };
      if (page.length < SESSION_PAGE) break;
    }
    return { from: range.from, to: range.to, storedTimeoutMs: this.options.sessionTimeoutMs, events: read, ...whatIfSessions(stored, timeoutsMs) };
  }
}
