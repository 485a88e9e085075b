import { sql, type Transaction } from 'kysely';
import { LatencySketch } from '../../rollups/latency-sketch.js';
import { GRAINS, keyOf, type Grain, type RollupDeltas } from '../../rollups/rollup-deltas.js';
import type { StorageEngine } from '../engine.js';
import type { Database } from '../schema.js';

/**
 * Writes one transaction's rollup deltas (rollups/rollup-deltas.ts), in the
 * transaction that stores the events: exact, and kept through `kill -9`.
 * Counts are added in SQL, so concurrent writers never lose one another's;
 * latency sketches are read, merged and written back under a per-project lock.
 * Rows go in key order, so two PostgreSQL writers lock them in one order.
 */
/** What writing rollups needs of an engine (a migration supplies it without one). */
export type RollupWriter = Pick<StorageEngine, 'maxParameters' | 'lockName'>;

/** In an upsert's update: the larger of the stored value and the one inserted (a running maximum), on every engine. */
export function largerOf(table: string, column: string) {
  const stored = sql.ref(`${table}.${column}`);
  const inserted = sql.ref(`excluded.${column}`);
  return sql<number>`case when ${inserted} > ${stored} then ${inserted} else ${stored} end`;
}

export async function applyRollups(
  trx: Transaction<Database>,
  engine: RollupWriter,
  projectId: string,
  deltas: RollupDeltas,
): Promise<void> {
  await writeCalls(trx, engine, projectId, deltas.calls);
  await insertInChunks(
    engine,
    byKey(deltas.activeUsers, (r) => keyOf(r.grain, r.bucket, r.userId)),
    4,
    (rows) =>
      trx
        .insertInto('rollup_active_users')
        .values(rows.map((r) => ({ project_id: projectId, grain: r.grain, bucket: r.bucket, user_id: r.userId })))
        .onConflict((oc) => oc.doNothing())
        .execute(),
  );
  await addCounts(
    trx,
    engine,
    'rollup_session_starts',
    ['project_id', 'grain', 'bucket', 'client_name', 'kind'],
    ['sessions', 'events'],
    deltas.sessionStarts.map((r) => ({
      project_id: projectId,
      grain: r.grain,
      bucket: r.bucket,
      client_name: r.client,
      kind: r.kind,
      sessions: r.sessions,
      events: r.events,
    })),
  );
  await addCounts(
    trx,
    engine,
    'rollup_client_users',
    ['project_id', 'grain', 'bucket', 'client_name', 'user_id'],
    ['sessions'],
    deltas.clientUsers.map((r) => ({
      project_id: projectId,
      grain: r.grain,
      bucket: r.bucket,
      client_name: r.client,
      user_id: r.userId,
      sessions: r.sessions,
    })),
  );
  await insertInChunks(
    engine,
    byKey(deltas.users, (r) => r.userId),
    9,
    (rows) =>
      trx
        .insertInto('user_summaries')
        .values(
          rows.map((r) => ({
            project_id: projectId,
            user_id: r.userId,
            name: r.name,
            name_at: r.nameAt,
            // A user first met through a session's removal alone is recounted below.
            first_seen: r.firstSeen ?? 0,
            last_seen: r.lastSeen ?? 0,
            sessions: r.sessions,
            events: r.events,
            errors: r.errors,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['project_id', 'user_id']).doUpdateSet((eb) => {
            // The excluded name wins when it was seen later (or the stored one has none).
            const newerName = eb.and([
              eb('excluded.name_at', 'is not', null),
              eb.or([
                eb('user_summaries.name_at', 'is', null),
                eb('excluded.name_at', '>', eb.ref('user_summaries.name_at')),
              ]),
            ]);
            return {
              sessions: eb('user_summaries.sessions', '+', eb.ref('excluded.sessions')),
              events: eb('user_summaries.events', '+', eb.ref('excluded.events')),
              errors: eb('user_summaries.errors', '+', eb.ref('excluded.errors')),
              first_seen: eb
                .case()
                .when(
                  eb.and([
                    eb('excluded.first_seen', '>', 0),
                    eb('excluded.first_seen', '<', eb.ref('user_summaries.first_seen')),
                  ]),
                )
                .then(eb.ref('excluded.first_seen'))
                .else(eb.ref('user_summaries.first_seen'))
                .end(),
              last_seen: eb
                .case()
                .when(eb('excluded.last_seen', '>', eb.ref('user_summaries.last_seen')))
                .then(eb.ref('excluded.last_seen'))
                .else(eb.ref('user_summaries.last_seen'))
                .end(),
              name: eb.case().when(newerName).then(eb.ref('excluded.name')).else(eb.ref('user_summaries.name')).end(),
              name_at: eb
                .case()
                .when(newerName)
                .then(eb.ref('excluded.name_at'))
                .else(eb.ref('user_summaries.name_at'))
                .end(),
            };
          }),
        )
        .execute(),
  );
  await insertInChunks(
    engine,
    byKey(deltas.userClients, (r) => keyOf(r.userId, r.client)),
    4,
    (rows) =>
      trx
        .insertInto('user_clients')
        .values(
          rows.map((r) => ({ project_id: projectId, user_id: r.userId, client_name: r.client, sessions: r.sessions })),
        )
        .onConflict((oc) =>
          oc
            .columns(['project_id', 'user_id', 'client_name'])
            .doUpdateSet((eb) => ({ sessions: eb('user_clients.sessions', '+', eb.ref('excluded.sessions')) })),
        )
        .execute(),
  );
  await insertInChunks(engine, [...deltas.recount].sort(), 2, (userIds) => recountUsers(trx, projectId, userIds));
}

/**
 * Adds calls and errors, and merges the duration sketches of the touched rows (read and written back under the
 * project's rollup lock).
 */
async function writeCalls(
  trx: Transaction<Database>,
  engine: RollupWriter,
  projectId: string,
  deltas: RollupDeltas['calls'],
): Promise<void> {
  if (deltas.length === 0) return;
  const stored = await lockedSketches(trx, engine, projectId, deltas, async (grain, buckets) => {
    const rows = await trx
      .selectFrom('rollup_calls')
      .select(['bucket', 'method', 'target', 'durations'])
      .where('project_id', '=', projectId)
      .where('grain', '=', grain)
      .where('bucket', 'in', buckets)
      .execute();
    return rows.map((row) => [keyOf(grain, Number(row.bucket), row.method, row.target), row.durations]);
  });
  const rows = deltas
    .map((d) => ({
      project_id: projectId,
      grain: d.grain,
      bucket: d.bucket,
      method: d.method,
      target: d.target,
      calls: d.calls,
      errors: d.errors,
      last_ts: d.lastTs,
      durations: LatencySketch.decode(stored.get(keyOf(d.grain, d.bucket, d.method, d.target)))
        .merge(d.durations)
        .encode(),
    }))
    .sort((a, b) =>
      keyOf(a.grain, a.bucket, a.method, a.target) < keyOf(b.grain, b.bucket, b.method, b.target) ? -1 : 1,
    );
  await insertInChunks(engine, rows, 9, (chunk) =>
    trx
      .insertInto('rollup_calls')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['project_id', 'grain', 'bucket', 'method', 'target']).doUpdateSet((eb) => ({
          calls: eb('rollup_calls.calls', '+', eb.ref('excluded.calls')),
          errors: eb('rollup_calls.errors', '+', eb.ref('excluded.errors')),
          last_ts: largerOf('rollup_calls', 'last_ts'),
          durations: eb.ref('excluded.durations'),
        })),
      )
      .execute(),
  );
}

/**
 * Takes the project's rollup lock and reads the stored latency sketches of the
 * rows `deltas` touch (`read`: those of a grain's buckets, by row key), to be
 * merged and written back: sketches are bytes, not counts SQL can add.
 */
export async function lockedSketches(
  trx: Transaction<Database>,
  engine: RollupWriter,
  projectId: string,
  deltas: readonly { grain: Grain; bucket: number }[],
  read: (grain: Grain, buckets: number[]) => Promise<[key: string, durations: Uint8Array | null][]>,
): Promise<Map<string, Uint8Array | null>> {
  await engine.lockName(trx, `rollups:${projectId}`);
  const stored = new Map<string, Uint8Array | null>();
  for (const grain of GRAINS) {
    const buckets = [...new Set(deltas.filter((d) => d.grain === grain).map((d) => d.bucket))];
    if (buckets.length > 0) for (const [key, durations] of await read(grain, buckets)) stored.set(key, durations);
  }
  return stored;
}

/** Users' first and last seen and name again from their sessions, after a session's label moved to another user. */
async function recountUsers(trx: Transaction<Database>, projectId: string, userIds: string[]): Promise<void> {
  const spans = await trx
    .selectFrom('sessions')
    .select((eb) => ['user_id', eb.fn.min('started_at').as('first'), eb.fn.max('ended_at').as('last')])
    .where('project_id', '=', projectId)
    .where('user_id', 'in', userIds)
    .groupBy('user_id')
    .execute();
  // The name of each user's most recent session that has one (ties: the greater name), as ingest keeps it.
  const names = await trx
    .selectFrom((eb) =>
      eb
        .selectFrom('sessions')
        .select([
          'user_id',
          'user_name',
          'ended_at',
          sql<number>`row_number() over (partition by user_id order by ended_at desc, user_name desc)`.as('rank'),
        ])
        .where('project_id', '=', projectId)
        .where('user_id', 'in', userIds)
        .where('user_name', 'is not', null)
        .as('named'),
    )
    .select(['user_id', 'user_name', 'ended_at'])
    .where('rank', '=', 1)
    .execute();
  const nameOf = new Map(names.map((row) => [row.user_id, row]));
  const gone = new Set(userIds);
  for (const span of spans) {
    if (span.user_id === null) continue;
    gone.delete(span.user_id);
    const named = nameOf.get(span.user_id);
    await trx
      .updateTable('user_summaries')
      .set({
        first_seen: Number(span.first),
        last_seen: Number(span.last),
        name: named?.user_name ?? null,
        name_at: named ? Number(named.ended_at) : null,
      })
      .where('project_id', '=', projectId)
      .where('user_id', '=', span.user_id)
      .execute();
  }
  if (gone.size > 0)
    await trx
      .deleteFrom('user_summaries')
      .where('project_id', '=', projectId)
      .where('user_id', 'in', [...gone])
      .execute();
}

/** `rows` in the order of their keys: two PostgreSQL writers then lock rows in one order. */
export function byKey<T>(rows: readonly T[], key: (row: T) => string): T[] {
  return rows
    .map((row) => [key(row), row] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
}

/** The rollups whose values are counts only. */
type CountRollup = 'rollup_session_starts' | 'rollup_client_users' | 'rollup_client_calls';

/**
 * Adds `rows` into a rollup whose values are counts, in key order: a new key is
 * inserted, a stored one gets each of `counts` added in SQL, so concurrent
 * writers never lose one another's.
 */
export async function addCounts<Row extends Record<string, string | number>>(
  trx: Transaction<Database>,
  engine: RollupWriter,
  table: CountRollup,
  keys: readonly (keyof Row & string)[],
  counts: readonly (keyof Row & string)[],
  rows: readonly Row[],
): Promise<void> {
  const added = Object.fromEntries(
    counts.map((c) => [c, sql`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`]),
  );
  await insertInChunks(
    engine,
    byKey(rows, (row) => keyOf(...keys.map((k) => row[k]!))),
    keys.length + counts.length,
    (chunk) =>
      trx
        .insertInto(table)
        .values(chunk as never)
        .onConflict((oc) => oc.columns(keys as never).doUpdateSet(added as never))
        .execute(),
  );
}

/** Runs `write` over `rows` in chunks that keep each statement within the engine's parameter limit. */
export async function insertInChunks<T>(
  engine: RollupWriter,
  rows: readonly T[],
  columns: number,
  write: (rows: T[]) => Promise<unknown>,
): Promise<void> {
  const size = Math.max(1, Math.floor(engine.maxParameters / columns));
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}
