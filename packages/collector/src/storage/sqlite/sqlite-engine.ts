import Database from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  sql,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type RawBuilder,
  type SqlBool,
} from 'kysely';
import { withAvailability } from '../availability-dialect.js';
import { Availability } from '../availability.js';
import { DEFAULT_QUERY_TIMEOUT_MS, StorageEngine, type IngestWriter } from '../engine.js';
import { withDriver } from '../with-driver.js';
import { readPoolDialect } from './read-pool.js';
import { classifySqliteError } from './sqlite-errors.js';
import { withStatementCache, type CachedSqliteDatabase } from './statement-cache.js';
import { startWriterThread } from './writer-thread.js';
import type { Database as Schema } from '../schema.js';

export interface SqliteEngineOptions {
  durability?: 'normal' | 'full';
  /** Ingest on a writer thread with its own connection (default: yes, for a file). */
  writerThread?: boolean;
  /** Threads that run queries, each with a read-only connection (default 2; 0: queries on the main connection). */
  readWorkers?: number | undefined;
  /** Longest a query may run (default 15 s); only on the read threads. */
  queryTimeoutMs?: number | undefined;
  /** Hears how every operation went, the writer thread's and the read threads' included. */
  availability?: Availability | undefined;
}

const DEFAULT_READ_WORKERS = 2;

/**
 * The embedded default: one file, WAL journal. `synchronous = NORMAL` keeps every
 * committed transaction through a crash of the process (kill -9); `durability:
 * 'full'` also survives power loss at some cost in throughput (docs/storage.md).
 */
export function createSqliteEngine(path: string, options: SqliteEngineOptions = {}): StorageEngine {
  return new SqliteEngine(path, options);
}

class SqliteEngine extends StorageEngine {
  readonly name = 'sqlite';
  override readonly withoutRowid = true;
  readonly db: Kysely<Schema>;
  private readonly reads: Kysely<Schema> | undefined;
  readonly maxParameters = 32_000;
  // Cached statements (statement-cache.ts) are keyed by SQL text: one size of multi-row insert keeps them few.
  override readonly insertChunkRows = 400;
  private readonly durability: 'normal' | 'full';
  private readonly availability: Availability;

  constructor(
    private readonly path: string,
    private readonly options: SqliteEngineOptions,
  ) {
    super();
    this.durability = options.durability ?? 'normal';
    this.availability = options.availability ?? new Availability();
    const sqlite = new Database(path);
    // Larger pages: fewer, larger writes per commit for ingest's scattered index updates (takes effect on a new file).
    sqlite.pragma('page_size = 16384');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${this.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    // Past a few MB the cache did not change ingest speed (the OS caches the file too), so keep it small.
    sqlite.pragma('cache_size = -16384');
    // Let the WAL reach 40 MB before a checkpoint, so pages written by many commits reach the file once.
    sqlite.pragma('wal_autocheckpoint = 2500');
    const config = { database: withStatementCache(sqlite) };
    const dialect = withDriver(new SqliteDialect(config), () => new ImmediateTransactionDriver(config));
    this.db = new Kysely<Schema>({ dialect: withAvailability(dialect, classifySqliteError, this.availability) });
    // An in-memory database exists only on this connection.
    const workers = options.readWorkers ?? DEFAULT_READ_WORKERS;
    if (workers > 0 && path !== ':memory:') {
      const reads = readPoolDialect({
        path,
        workers,
        queryTimeoutMs: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
      });
      this.reads = new Kysely<Schema>({ dialect: withAvailability(reads, classifySqliteError, this.availability) });
    }
  }

  /** Queries run on the read pool (read-pool.ts), off this thread: ingest acknowledgements never wait for them. */
  override get readDb(): Kysely<Schema> {
    return this.reads ?? this.db;
  }

  // Transactions begin IMMEDIATE (below): one writer at a time across connections, so the base's no-op locks suffice.

  inList(column: string, values: readonly string[]): RawBuilder<SqlBool> {
    return sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`;
  }

  jsonList(value: RawBuilder<unknown>, orderBy?: RawBuilder<unknown>): RawBuilder<string | null> {
    // ORDER BY inside an aggregate: SQLite 3.44 and later (better-sqlite3 bundles its own).
    return sql<string | null>`json_group_array(${value}${orderBy ? sql` order by ${orderBy}` : sql``})`;
  }

  jsonTuple(values: readonly RawBuilder<unknown>[]): RawBuilder<unknown> {
    return sql`json_array(${sql.join(values)})`;
  }

  /** SQLite's own upkeep: `optimize` analyzes the tables whose statistics went stale, each from a bounded sample. */
  override async refreshStatistics(): Promise<void> {
    await sql`pragma analysis_limit = 1000`.execute(this.db);
    await sql`pragma optimize`.execute(this.db);
  }

  /**
   * A file is written on a thread of its own (writer-thread.ts); an in-memory database exists only on this connection.
   */
  override startIngestWriter(sessionTimeoutMs: number): IngestWriter {
    if (this.options.writerThread === false || this.path === ':memory:')
      return super.startIngestWriter(sessionTimeoutMs);
    return startWriterThread({ path: this.path, durability: this.durability, sessionTimeoutMs }, this.availability);
  }
}

/**
 * Kysely's SQLite transactions, begun `immediate`: they all write, and two
 * connections write the file (the ingest thread, and the main one for
 * projects). A deferred transaction that read before the other committed could
 * not write at all (SQLITE_BUSY without waiting); an immediate one waits for
 * the write lock at its start (busy_timeout).
 */
class ImmediateTransactionDriver extends SqliteDriver {
  constructor(private readonly config: { database: CachedSqliteDatabase }) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  /**
   * After SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY or SQLITE_NOMEM, SQLite may have
   * rolled the transaction back itself; a second rollback would fail ("cannot
   * rollback - no transaction is active") and hide the error that ended it.
   */
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.config.database.inTransaction) await super.rollbackTransaction(connection);
  }
}
