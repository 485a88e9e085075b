import { createHash } from 'node:crypto';
import {
  Kysely,
  PostgresDialect,
  PostgresDriver,
  sql,
  type DatabaseConnection,
  type PostgresPool,
  type RawBuilder,
  type SqlBool,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { withAvailability } from '../availability-dialect.js';
import { Availability } from '../availability.js';
import { DEFAULT_QUERY_TIMEOUT_MS, STATISTICS_TABLES, StorageEngine, type Upsert } from '../engine.js';
import { withDriver } from '../with-driver.js';
import { classifyPostgresError, isConnectionLost } from './postgres-errors.js';
import { cancellableReads } from './postgres-reads.js';
import { unnestInsert } from './unnest-insert.js';
import type { Database } from '../schema.js';

export interface PostgresEngineOptions {
  /** Connections per instance (default 10): 2 write, the rest (at least 1) serve queries. */
  poolSize?: number | undefined;
  /** Longest a query may run (default 15 s): `statement_timeout` of the query connections. */
  queryTimeoutMs?: number | undefined;
  /** Hears how every operation went. */
  availability?: Availability | undefined;
}

/**
 * A connection attempt (or a wait for a free pooled connection) fails after this, rather than hang on a silent network.
 */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connections that write: one for the ingest transaction (an instance runs one at a time), one for
 * key look-ups, project creation, readiness and cancels, so that none of them waits behind a query.
 */
const WRITE_CONNECTIONS = 2;

/** int8 and numeric as JS numbers: counts and epoch milliseconds stay far below 2^53. */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number(value));

/** SQLSTATEs after which the whole ingest transaction is simply run again (ADR 0501). */
const RETRYABLE = new Set([
  '40P01', // deadlock_detected
  '40001', // serialization_failure
  '23505', // unique_violation: two instances inserting one event id under different keys
  '53200', // out_of_shared_memory: the lock table is full (max_locks_per_transaction)
]);
const MAX_ATTEMPTS = 8;

/**
 * PostgreSQL through `pg`. Any number of instances may share one database:
 * `lockSessionKeys` takes transaction-scoped advisory locks (ADR 0501).
 * `?schema=NAME` in the URL keeps mcptrail's tables in that schema. Writes and
 * queries have pools of their own: only the queries' connections carry a
 * `statement_timeout`, and a long query never holds a connection ingest needs.
 */
export async function createPostgresEngine(url: string, options: PostgresEngineOptions): Promise<StorageEngine> {
  const { connectionString, schema } = splitSchema(url);
  const availability = options.availability ?? new Availability();
  const pool = (max: number, settings: Partial<pg.PoolConfig> = {}) => {
    const created = new pg.Pool({
      connectionString,
      max,
      types,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // Dead peers on idle connections are noticed by the OS instead of the next query.
      keepAlive: true,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
      ...settings,
    });
    // A connection that dies emits 'error' on its client: the pool listens only while the client is idle,
    // and an unheard 'error' ends the process. The query it cut off fails with the same error (and is
    // classified there); a broken client leaves the pool when it is released.
    created.on('error', () => {});
    created.on('connect', (client) => client.on('error', () => {}));
    return created;
  };
  const kysely = (pool: PostgresPool) => {
    const dialect = withDriver(new PostgresDialect({ pool }), () => new ConnectionLossDriver({ pool }));
    return new Kysely<Database>({ dialect: withAvailability(dialect, classifyPostgresError, availability) });
  };
  const db = kysely(pool(WRITE_CONNECTIONS));
  const queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const reads = pool(Math.max(1, (options.poolSize ?? 10) - WRITE_CONNECTIONS), { statement_timeout: queryTimeoutMs });
  const cancel = async (pid: number) => {
    await sql`select pg_cancel_backend(${pid})`.execute(db);
  };
  const readDb = kysely(cancellableReads(reads, { queryTimeoutMs, cancel }));
  try {
    if (schema === undefined) await sql`select 1`.execute(db);
    // `if not exists` alone races when instances start together; the lock makes it safe.
    else
      await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${lockIdOf('', `schema:${schema}`)})`.execute(trx);
        await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
      });
  } catch (error) {
    await Promise.all([db.destroy(), reads.end()]);
    throw error;
  }
  return new PostgresEngine(db, readDb, schema);
}

class PostgresEngine extends StorageEngine {
  readonly name = 'postgres';
  readonly maxParameters = 65_535;
  override readonly binaryType = 'bytea';
  // Each transaction holds one advisory lock per distinct key until it ends: a cap on its
  // events keeps instances × locks within the server's lock table (docs/scaling.md).
  override readonly maxEventsPerTransaction = 1_000;
  private readonly unnest = unnestInsert();

  constructor(
    readonly db: Kysely<Database>,
    private readonly reads: Kysely<Database>,
    override readonly schema: string | undefined,
  ) {
    super();
  }

  override get readDb(): Kysely<Database> {
    return this.reads;
  }

  override lockSessionKeys(trx: Transaction<Database>, projectId: string, keys: readonly string[]): Promise<void> {
    return lockSessionKeys(trx, projectId, keys);
  }

  override async lockName(trx: Transaction<Database>, name: string): Promise<void> {
    await sql`select pg_advisory_xact_lock(${lockIdOf('', `name:${name}`)})`.execute(trx);
  }

  inList(column: string, values: readonly string[]): RawBuilder<SqlBool> {
    return sql<SqlBool>`${sql.ref(column)} = any(${values})`;
  }

  jsonList(value: RawBuilder<unknown>, orderBy?: RawBuilder<unknown>): RawBuilder<string | null> {
    // As text, as SQLite answers it (the driver would parse json itself).
    return sql<string | null>`json_agg(${value}${orderBy ? sql` order by ${orderBy}` : sql``})::text`;
  }

  jsonTuple(values: readonly RawBuilder<unknown>[]): RawBuilder<unknown> {
    return sql`json_build_array(${sql.join(values)})`;
  }

  /**
   * One primary-key probe per id. Written as `id = any($2)`, a planner without statistics (a young
   * table, autovacuum off) scanned every event of the project instead (docs/scaling.md).
   */
  override async filterStored(
    trx: Transaction<Database>,
    projectId: string,
    ids: readonly string[],
  ): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`
      select x.id from unnest(${ids}::text[]) as x(id)
      cross join lateral (
        select 1 from events e where e.project_id = ${projectId} and e.id = x.id limit 1
      ) as hit`.execute(trx);
    return rows.map((row) => row.id);
  }

  /** One array per column through `unnest`, instead of a parameter per value. */
  override insertRows(
    trx: Transaction<Database>,
    table: 'events' | 'sessions',
    rows: readonly object[],
    upsert?: Upsert,
  ): Promise<void> {
    return this.unnest(trx, table, rows, upsert);
  }

  override async writeTransaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(work);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
        await sleep(Math.random() * 10 * 2 ** attempt);
      }
    }
  }

  /**
   * Also vacuums: every extension of a session, every rollup upsert leaves a dead row version, and index-only scans
   * (the paths' and what-if's steps, the users list) visit the heap for every page the visibility map does not mark
   * all-visible. Neither waits for autovacuum, which may be off or behind. Runs outside any transaction, beside writes.
   */
  override async refreshStatistics(): Promise<void> {
    await sql`vacuum (analyze) ${sql.join(STATISTICS_TABLES.map((table) => sql.id(table)))}`.execute(this.db);
  }
}

/** 64-bit advisory lock id of a session key: the first 8 bytes of SHA-256 over (project, key). */
export function lockIdOf(projectId: string, key: string): bigint {
  return createHash('sha256').update(projectId).update('\0').update(key).digest().readBigInt64BE(0);
}

/**
 * One round trip; the PL/pgSQL loop takes the locks strictly in ascending id order,
 * so two writers never wait on each other in a cycle. Ids are bigints formatted
 * by us, never user text.
 */
async function lockSessionKeys(trx: Transaction<Database>, projectId: string, keys: readonly string[]): Promise<void> {
  const ids = [...new Set(keys.map((key) => lockIdOf(projectId, key)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (ids.length === 0) return;
  await sql
    .raw(
      `do $$ declare k bigint; begin foreach k in array '{${ids.join(',')}}'::bigint[] ` +
        'loop perform pg_advisory_xact_lock(k); end loop; end $$',
    )
    .execute(trx);
}

/** `PostgresDriver` whose transactions end quietly on a connection that is gone. */
class ConnectionLossDriver extends PostgresDriver {
  /**
   * A transaction whose connection was lost has ended with it (the server rolls
   * back a session that ends); a rollback sent on the dead connection would fail
   * too, and its error ("not queryable") would hide the one that cut it off.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } catch (error) {
      if (!isConnectionLost(error)) throw error;
    }
  }
}

/** Splits an optional `schema` parameter off the URL; the rest goes to `pg` unchanged. */
function splitSchema(url: string): { connectionString: string; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema === undefined) return { connectionString: url, schema };
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error(`invalid schema name "${schema}": use lower-case letters, digits and _`);
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
