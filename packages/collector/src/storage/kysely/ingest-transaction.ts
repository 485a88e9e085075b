import { type ExpressionBuilder, type RawBuilder, sql, type Transaction } from 'kysely';
import {
  candidateWindow,
  clientRank,
  endsAfterInactivity,
  type ClientLabel,
  isFingerprintKey,
  type NamedSpan,
  sameClient,
  planSessions,
  type SessionPlan,
  sessionKeyOf,
  type SessionKey,
  type SessionRecord,
} from '../../sessionizer/index.js';
import { rollupDeltas } from '../../rollups/rollup-deltas.js';
import { deriveSessionId } from '../session-ids.js';
import { type BodyBlock, bodySource, type EncodedEvent } from '../event-body.js';
import { applyRollups, insertInChunks, largerOf } from './rollup-writes.js';
import { clientCallDeltas } from '../../rollups/client-call-deltas.js';
import { applyClientCalls } from './client-call-writes.js';
import { labelMovesOfPlan, labelMovesOfRelabel, movedCalls, newCalls } from './client-calls.js';
import type { ProjectIngests, RequestEvents, StorageEngine, Upsert } from '../engine.js';
import type { Database, EventRow, FingerprintLabelRow, SessionRow } from '../schema.js';

export interface IngestContext {
  engine: StorageEngine;
  timeoutMs: number;
}

/** What an upsert of a session overwrites: everything but its identity. */
const SESSION_UPDATE = [
  'started_at',
  'ended_at',
  'first_event_id',
  'event_count',
  'error_count',
  'user_id',
  'user_name',
  'client_name',
  'client_version',
  'client_rank',
  'transport_session_id',
  'user_id_at',
  'user_name_at',
  'client_name_at',
  'client_version_at',
] as const;

/**
 * What extending a stored session changes: not its start, user or client. On SQLite an upsert rewrites the entries of
 * every index on a column it sets, so leaving these out keeps the session's entries in sessions_key (by key and start,
 * all over that index) and sessions_started where they are.
 */
const SESSION_EXTENSION = SESSION_UPDATE.filter(
  (column) => column !== 'started_at' && column !== 'user_id' && column !== 'client_name',
);

/** Stores a group of coalesced ingests in one write transaction; resolves to the ids stored per project. */
export function storeGroup(ctx: IngestContext, projects: ProjectIngests): Promise<Map<string, Set<string>>> {
  return ctx.engine.writeTransaction(async (trx) => {
    const stored = new Map<string, Set<string>>();
    // Projects in a fixed order, so that concurrent instances lock keys in one global order.
    for (const projectId of [...projects.keys()].sort()) {
      const { requests, receivedAt } = projects.get(projectId)!;
      stored.set(projectId, await ingestInTransaction(ctx, trx, projectId, requests, receivedAt));
    }
    return stored;
  });
}

/**
 * The whole write path of a project's requests; runs inside one transaction.
 * Resolves to the ids it stored (the first version of each new id).
 */
async function ingestInTransaction(
  ctx: IngestContext,
  trx: Transaction<Database>,
  projectId: string,
  requests: readonly RequestEvents[],
  receivedAt: number,
): Promise<Set<string>> {
  // First version of an id wins, within the group and against what is stored.
  const unique = new Map<string, EncodedEvent>();
  for (const request of requests)
    for (const event of request.events) if (!unique.has(event.id)) unique.set(event.id, event);

  const keys = new Map<string, SessionKey['kind']>();
  for (const event of unique.values()) {
    const { kind, key } = sessionKeyOf(event);
    keys.set(key, kind);
  }
  await ctx.engine.lockSessionKeys(trx, projectId, [...keys.keys()]);

  if (unique.size > 0)
    for (const id of await ctx.engine.filterStored(trx, projectId, [...unique.keys()])) unique.delete(id);
  await recordDrops(trx, projectId, requests);
  const events = [...unique.values()];
  if (events.length === 0) return new Set();

  const window = candidateWindow(events, ctx.timeoutMs);
  const existing = await loadCandidates(ctx, trx, projectId, window, keys);
  const clientTimelines = await loadClientTimelines(trx, projectId, timelineStarts(window.from, existing, keys));
  const plan = planSessions({
    projectId,
    timeoutMs: ctx.timeoutMs,
    events,
    existing,
    clientTimelines,
    deriveId: deriveSessionId,
  });
  // Calls of stored sessions whose label the plan changes, read under their ids before merges move them
  // (docs/adr/0205).
  const moved = await movedCalls(trx, ctx.engine, labelMovesOfPlan(existing, plan));

  // Set-based: four statements per batch, not per retired id (a retired id is never also a survivor).
  for (const retired of chunk(plan.retired, Math.floor((ctx.engine.maxParameters - 1) / 3))) {
    const from = retired.map((r) => r.from);
    const renamed = (column: 'session_id' | 'new_id') =>
      sql<string>`case ${sql.ref(column)} ${sql.join(
        retired.map((r) => sql`when ${r.from} then ${r.to}`),
        sql` `,
      )} end`;
    await trx.deleteFrom('sessions').where('id', 'in', from).execute();
    await trx
      .updateTable('events')
      .set({ session_id: renamed('session_id') })
      .where('project_id', '=', projectId)
      .where('session_id', 'in', from)
      .execute();
    await trx
      .updateTable('session_aliases')
      .set({ new_id: renamed('new_id') })
      .where('new_id', 'in', from)
      .execute();
    await trx
      .insertInto('session_aliases')
      .values(retired.map((r) => ({ project_id: projectId, old_id: r.from, new_id: r.to })))
      .onConflict((oc) => oc.column('old_id').doUpdateSet((eb) => ({ new_id: eb.ref('excluded.new_id') })))
      .execute();
  }

  const write = (table: 'events' | 'sessions', rows: object[], upsert?: Upsert) =>
    ctx.engine.insertRows(trx, table, rows, upsert);
  // In id order: time-led ids put neighbours on the same table and index pages (about a fifth less work on SQLite).
  const upserts = plan.upserts.toSorted((a, b) => (a.id < b.id ? -1 : 1));
  const stored = new Map(existing.map((session) => [session.id, session]));
  const isExtension = (record: SessionRecord) => {
    const before = stored.get(record.id);
    return (
      before !== undefined &&
      before.startedAt === record.startedAt &&
      before.userId === record.userId &&
      before.clientName === record.clientName
    );
  };
  const rowsOf = (records: SessionRecord[]) => records.map((record) => toSessionRow(projectId, record));
  await write('sessions', rowsOf(upserts.filter((record) => !isExtension(record))), {
    conflict: 'id',
    update: SESSION_UPDATE,
  });
  await write('sessions', rowsOf(upserts.filter(isExtension)), { conflict: 'id', update: SESSION_EXTENSION });
  await recordLongestSession(trx, projectId, plan.upserts);
  await write(
    'events',
    events.map((event) => toEventRow(projectId, event, plan.assignments.get(event.id)!, receivedAt)),
  );
  await writeBlocks(ctx.engine, trx, projectId, requests, events);
  const relabeled = await recordClientTimelines(ctx.engine, trx, projectId, plan);

  // Rollups move by the sessions this transaction replaced (extended, merged, renamed, relabeled) and wrote.
  const added = [...plan.upserts, ...relabeled.after];
  const survivorOf = new Map(plan.retired.map((r) => [r.from, r.to]));
  const written = new Set(plan.upserts.map((s) => s.id));
  // Relabeled sessions are never among those the plan wrote (recordClientTimelines leaves those out).
  const removed = [...existing.filter((s) => written.has(s.id) || survivorOf.has(s.id)), ...relabeled.before];
  const byId = new Map(added.map((s) => [s.id, s]));
  const recount = new Set<string>();
  for (const session of removed) {
    if (session.userId !== null && byId.get(survivorOf.get(session.id) ?? session.id)?.userId !== session.userId)
      recount.add(session.userId);
  }
  await applyRollups(trx, ctx.engine, projectId, rollupDeltas(events, removed, added, [...recount]));
  const relabeledCalls = await movedCalls(trx, ctx.engine, labelMovesOfRelabel(relabeled.before, relabeled.after));
  await applyClientCalls(
    trx,
    ctx.engine,
    projectId,
    clientCallDeltas([...moved, ...relabeledCalls, ...newCalls(events, plan)]),
  );
  return new Set(unique.keys());
}

/**
 * Where each fingerprint key's timeline matters to a plan: from its earliest candidate session or the events' window,
 * whichever is earlier. Before that, the plan changes nothing.
 */
function timelineStarts(
  from: number,
  existing: readonly SessionRecord[],
  keys: ReadonlyMap<string, SessionKey['kind']>,
): Map<string, number> {
  const starts = new Map<string, number>();
  for (const key of keys.keys()) if (isFingerprintKey(key)) starts.set(key, from);
  for (const session of existing) {
    const start = starts.get(session.key);
    if (start !== undefined && session.startedAt < start) starts.set(session.key, session.startedAt);
  }
  return starts;
}

/**
 * Each key's named sessions from its start in `starts` on, and before it only the best one (docs/adr/0104): a label
 * is the best named up to a session, so the best before the start stands for all the others there. A key's whole
 * timeline grows with every session it names; this read stays the size of the window.
 */
async function loadClientTimelines(
  trx: Transaction<Database>,
  projectId: string,
  starts: ReadonlyMap<string, number>,
): Promise<Map<string, NamedSpan[]>> {
  const namedFrom = (key: string) => {
    const at = starts.get(key)!;
    const ofKey = sql`project_id = ${projectId} and group_key = ${key}`;
    return sql`select * from ${sql.table('fingerprint_labels')} where ${ofKey} and started_at >= ${at}
      union all
      select label.* from (select client_rank, named_at from ${sql.table('fingerprint_labels')}
        where ${ofKey} and started_at < ${at} order by client_rank desc, named_at desc limit 1) as best
      join ${sql.table('fingerprint_labels')} as label on label.project_id = ${projectId} and label.group_key = ${key}
        and label.client_rank = best.client_rank and label.named_at = best.named_at and label.started_at < ${at}`;
  };
  // By key and start: a repeated key's rows come twice.
  const named = new Map<string, Map<number, NamedSpan>>();
  for (const row of await seekEachKey<FingerprintLabelRow>(trx, [...starts.keys()], namedFrom)) {
    const spans = named.get(row.group_key) ?? named.set(row.group_key, new Map()).get(row.group_key)!;
    spans.set(Number(row.started_at), {
      startedAt: Number(row.started_at),
      label: {
        name: row.client_name,
        version: row.client_version,
        rank: Number(row.client_rank),
        at: Number(row.named_at),
      },
    });
  }
  const timelines = new Map<string, NamedSpan[]>();
  for (const [key, spans] of named) timelines.set(key, [...spans.values()]);
  return timelines;
}

/**
 * Keeps the named sessions of fingerprint keys the plan changed, and shows the new label on the stored sessions whose
 * label that changed (docs/adr/0104): those up to the next better name, not the key's whole history.
 */
async function recordClientTimelines(
  engine: StorageEngine,
  trx: Transaction<Database>,
  projectId: string,
  plan: SessionPlan,
): Promise<{ before: SessionRecord[]; after: SessionRecord[] }> {
  const relabeled = { before: [] as SessionRecord[], after: [] as SessionRecord[] };
  // In key order: two instances writing the same keys take their row locks in one order.
  const changes = plan.timelines.toSorted((a, b) => (a.key < b.key ? -1 : 1));
  for (const { key, removed } of changes) {
    if (removed.length === 0) continue;
    await trx
      .deleteFrom('fingerprint_labels')
      .where('project_id', '=', projectId)
      .where('group_key', '=', key)
      .where('started_at', 'in', removed)
      .execute();
  }
  const rows = changes.flatMap(({ key, added }) =>
    added.map(({ startedAt, label }) => ({
      project_id: projectId,
      group_key: key,
      started_at: startedAt,
      client_name: label.name,
      client_version: label.version,
      client_rank: label.rank,
      named_at: label.at,
    })),
  );
  await insertInChunks(engine, rows, 7, (chunk) => trx.insertInto('fingerprint_labels').values(chunk).execute());
  if (plan.relabels.length === 0) return relabeled;
  const written = new Set(plan.upserts.map((s) => s.id));
  for (const { key, from, to, label } of plan.relabels) {
    const inRange = (eb: ExpressionBuilder<Database, 'sessions'>) => {
      const conditions = [eb('project_id', '=', projectId), eb('group_key', '=', key), NOT_ANONYMOUS];
      if (from !== null) conditions.push(eb('started_at', '>=', from));
      if (to !== null) conditions.push(eb('started_at', '<', to));
      return eb.and(conditions);
    };
    let changed = false;
    for (const row of await trx.selectFrom('sessions').selectAll().where(inRange).execute()) {
      const before = toSessionRecord(row);
      if (sameClient(shownClient(before), label)) continue;
      changed = true;
      if (written.has(row.id)) continue;
      relabeled.before.push(before);
      relabeled.after.push({ ...before, clientName: label.name, clientVersion: label.version, clientRank: label.rank });
    }
    if (!changed) continue;
    await trx
      .updateTable('sessions')
      .set({
        client_name: label.name,
        client_version: label.version,
        client_rank: label.rank,
        client_name_at: null,
        client_version_at: null,
      })
      .where(inRange)
      .execute();
  }
  return relabeled;
}

/**
 * Stores the blocks the new events' bodies are in (docs/adr/0207); blocks that
 * only duplicates point into are left out. A block already stored (a resent
 * request, on this instance or another) has the same key and the same bytes.
 */
async function writeBlocks(
  engine: StorageEngine,
  trx: Transaction<Database>,
  projectId: string,
  requests: readonly RequestEvents[],
  events: readonly EncodedEvent[],
): Promise<void> {
  const needed = new Set<string>();
  for (const event of events) {
    const source = bodySource(event.body);
    if (source !== null && 'block' in source) needed.add(source.block);
  }
  const blocks = new Map<string, BodyBlock>();
  for (const request of requests)
    for (const block of request.blocks) {
      const key = Buffer.from(block.key).toString('hex');
      if (needed.has(key)) blocks.set(key, block);
    }
  // In key order: instances storing the same block take its lock in one order.
  const rows = [...blocks.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, block]) => ({ project_id: projectId, key: block.key, bytes: block.bytes }));
  await insertInChunks(engine, rows, 3, (chunk) =>
    trx
      .insertInto('body_blocks')
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .execute(),
  );
}

/** Raises the project's longest session (a maximum: the row is written only when a session outlasts it). */
async function recordLongestSession(
  trx: Transaction<Database>,
  projectId: string,
  sessions: readonly SessionRecord[],
): Promise<void> {
  let longest = 0;
  for (const session of sessions) longest = Math.max(longest, session.endedAt - session.startedAt);
  if (longest === 0) return;
  await trx
    .updateTable('projects')
    .set({ longest_session_ms: longest })
    .where('id', '=', projectId)
    .where('longest_session_ms', '<', longest)
    .execute();
}

/**
 * Records what the requests' senders discarded: a sender's running total
 * raises its stored maximum (idempotent: a resend changes nothing); a bare
 * `dropped` count is added to the project.
 */
async function recordDrops(
  trx: Transaction<Database>,
  projectId: string,
  requests: readonly RequestEvents[],
): Promise<void> {
  let added = 0;
  const totals = new Map<string, number>();
  for (const { sender, dropped } of requests) {
    if (sender) totals.set(sender.id, Math.max(totals.get(sender.id) ?? 0, sender.droppedTotal));
    else added += dropped;
  }
  if (added > 0) {
    await trx
      .updateTable('projects')
      .set((eb) => ({ dropped_events: eb('dropped_events', '+', added) }))
      .where('id', '=', projectId)
      .execute();
  }
  if (totals.size === 0) return;
  await trx
    .insertInto('sender_drops')
    // In id order: two instances upserting the same senders take their row locks in one order (no deadlock).
    .values(
      [...totals]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([senderId, total]) => ({ project_id: projectId, sender_id: senderId, dropped_total: total })),
    )
    .onConflict((oc) =>
      oc.columns(['project_id', 'sender_id']).doUpdateSet({ dropped_total: largerOf('sender_drops', 'dropped_total') }),
    )
    .execute();
}

async function loadCandidates(
  ctx: IngestContext,
  trx: Transaction<Database>,
  projectId: string,
  window: { from: number; to: number },
  keys: ReadonlyMap<string, SessionKey['kind']>,
): Promise<SessionRecord[]> {
  // Keys of ids that turned out to be stored already only fetch sessions the plan ignores.
  const grouped: string[] = [];
  const whole: string[] = [];
  for (const [key, kind] of keys) {
    if (endsAfterInactivity(kind)) grouped.push(key);
    else if (kind !== 'anonymous') whole.push(key);
  }
  const sessionsOf = (groupKeys: string[]) =>
    trx
      .selectFrom('sessions')
      .selectAll()
      .where('project_id', '=', projectId)
      .where(ctx.engine.inList('group_key', groupKeys))
      .where(NOT_ANONYMOUS);
  const rows: SessionRow[] = [];
  if (grouped.length > 0) {
    // Sessions of a key do not overlap: those touching the window are the last one to start by its start, and those
    // starting within it. sessions_key holds the start, not the end, so extending a session leaves its entry alone.
    rows.push(
      ...(await sessionsOf(grouped)
        .where('started_at', '>', window.from)
        .where('started_at', '<=', window.to)
        .execute()),
    );
    for (const last of await lastSessionsBy(trx, projectId, grouped, window.from))
      if (Number(last.ended_at) >= window.from) rows.push(last);
  }
  if (whole.length > 0) rows.push(...(await sessionsOf(whole).execute()));
  return rows.map(toSessionRecord);
}

/** The client a stored session shows, as a label (null when it shows none). */
const shownClient = (session: SessionRecord): ClientLabel | null =>
  session.clientName === null
    ? null
    : { name: session.clientName, version: session.clientVersion, rank: session.clientRank, at: session.endedAt };

/** sessions_key holds no anonymous session (migration 0013); a literal, so that the planner knows it may use it. */
const NOT_ANONYMOUS = sql<boolean>`${sql.ref('kind')} <> ${sql.lit('anonymous')}`;
/** Keys per statement: a fixed count (the last chunk repeats its last key) keeps one statement text to prepare. */
const KEYS_PER_STATEMENT = 32;

/** One seek per key, `KEYS_PER_STATEMENT` of them joined by `union all`; a repeated key's rows come twice. */
async function seekEachKey<Row>(
  trx: Transaction<Database>,
  keys: readonly string[],
  seek: (key: string) => RawBuilder<unknown>,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
    const chunk = keys.slice(i, i + KEYS_PER_STATEMENT);
    while (chunk.length < KEYS_PER_STATEMENT) chunk.push(chunk.at(-1)!);
    rows.push(...(await sql<Row>`${sql.join(chunk.map(seek), sql` union all `)}`.execute(trx)).rows);
  }
  return rows;
}

/** Each key's last session to start at or before `at`, a seek per key in sessions_key. */
async function lastSessionsBy(
  trx: Transaction<Database>,
  projectId: string,
  keys: readonly string[],
  at: number,
): Promise<SessionRow[]> {
  const lastOf = (key: string) =>
    sql`select * from (select * from ${sql.table('sessions')} where project_id = ${projectId} and group_key = ${key}
      and ${NOT_ANONYMOUS} and started_at <= ${at} order by started_at desc limit 1) as last`;
  const rows = await seekEachKey<SessionRow>(trx, keys, lastOf);
  return [...new Map(rows.map((row) => [row.id, row])).values()];
}

function toSessionRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    kind: row.kind,
    key: row.group_key,
    startedAt: Number(row.started_at),
    endedAt: Number(row.ended_at),
    firstEventId: row.first_event_id,
    eventCount: Number(row.event_count),
    errorCount: Number(row.error_count),
    userId: row.user_id,
    userName: row.user_name,
    clientName: row.client_name,
    clientVersion: row.client_version,
    clientRank: row.client_rank === null ? clientRank('clientInfo') : Number(row.client_rank),
    transportSessionId: row.transport_session_id,
    labelsAt: {
      userId: optionalNumber(row.user_id_at),
      userName: optionalNumber(row.user_name_at),
      client: optionalNumber(row.client_name_at),
    },
  };
}

function toSessionRow(projectId: string, record: SessionRecord): SessionRow {
  return {
    id: record.id,
    project_id: projectId,
    kind: record.kind,
    group_key: record.key,
    started_at: record.startedAt,
    ended_at: record.endedAt,
    first_event_id: record.firstEventId,
    event_count: record.eventCount,
    error_count: record.errorCount,
    user_id: record.userId,
    user_name: record.userName,
    client_name: record.clientName,
    client_version: record.clientVersion,
    client_rank: record.clientRank,
    transport_session_id: record.transportSessionId,
    user_id_at: record.labelsAt.userId,
    user_name_at: record.labelsAt.userName,
    // Name and version are one label now; instances from before 0004 still read the version's own time.
    client_name_at: record.labelsAt.client,
    client_version_at: record.labelsAt.client,
  };
}

const optionalNumber = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

function toEventRow(projectId: string, event: EncodedEvent, sessionId: string, receivedAt: number): EventRow {
  return {
    project_id: projectId,
    id: event.id,
    session_id: sessionId,
    transport_session_id: event.transportSessionId,
    ts: event.timestamp,
    duration_ms: event.durationMs,
    method: event.method,
    target: event.target,
    user_id: event.userId,
    client_name: event.clientName,
    client_version: event.clientVersion,
    client_source: event.clientSource === 'clientInfo' ? null : event.clientSource,
    client_fingerprint: event.clientFingerprint,
    conversation_id: event.conversationId,
    protocol_version: event.protocolVersion,
    is_error: event.isError ? 1 : 0,
    error_type: event.errorType,
    error_message: event.errorMessage,
    error_code: event.errorCode,
    body: event.body,
    received_at: receivedAt,
  };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
