import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import { insertChunked } from './kysely/compiled-insert.js';
import type { BodyBlock, EncodedEvent } from './event-body.js';
import { storeGroup } from './kysely/ingest-transaction.js';
import type { Database } from './schema.js';
import type { SenderDrops } from './store.js';

/** Longest a query may run unless told otherwise (`--query-timeout`). */
export const DEFAULT_QUERY_TIMEOUT_MS = 15_000;

/** The tables ingest grows, whose statistics decide the plans of its lookups and of the queries. */
export const STATISTICS_TABLES = [
  'events',
  'sessions',
  'session_aliases',
  'fingerprint_labels',
  'rollup_calls',
  'rollup_active_users',
  'rollup_session_starts',
  'rollup_client_users',
  'rollup_client_calls',
  'rollup_client_latency',
  'user_summaries',
  'user_clients',
] as const;

/** Says when a writer has stored enough events since the last refresh of the statistics to refresh them again. */
export class StatisticsSchedule {
  private since = 0;

  constructor(private readonly every = 100_000) {}

  stored(ids: ReadonlyMap<string, ReadonlySet<string>>): boolean {
    for (const stored of ids.values()) this.since += stored.size;
    if (this.since < this.every) return false;
    this.since = 0;
    return true;
  }
}

/** With `insertRows`: a conflict on `conflict` overwrites the `update` columns. */
export interface Upsert {
  conflict: string;
  update: readonly string[];
}

/** What one ingest request brought for one project. */
export interface RequestEvents {
  events: readonly EncodedEvent[];
  /** The blocks the events' bodies are in (docs/adr/0207). */
  blocks: readonly BodyBlock[];
  dropped: number;
  sender?: SenderDrops | undefined;
}

/** A group of ingest requests by project, in arrival order. */
export type ProjectIngests = Map<string, { requests: RequestEvents[]; receivedAt: number }>;

/** Stores a group of requests in one transaction; resolves to the ids stored per project. */
export type StoreGroup = (projects: ProjectIngests) => Promise<Map<string, Set<string>>>;

/** Where ingest groups are written. */
export interface IngestWriter {
  readonly write: StoreGroup;
  /**
   * Resolves once the groups already handed over are stored and the writer has let go of the database; later writes are
   * refused.
   */
  close(): Promise<void>;
}

/**
 * What differs between database engines, as Kysely's `DialectAdapterBase` does
 * it: a base class whose methods are the portable default, and one subclass per
 * engine (`sqlite/`, `postgres/`) overriding what it does differently or
 * faster. Everything else (queries, the ingest transaction, migrations) is
 * shared code in `kysely/`, which never asks which engine it runs on (ADR 0202).
 */
export abstract class StorageEngine {
  abstract readonly name: string;
  /** Writes (ingest, projects, migrations), and reads that must not wait behind queries (key look-ups, readiness). */
  abstract readonly db: Kysely<Database>;

  /**
   * Queries: by default the writing connections. An engine may give them
   * connections of their own, so that a long query never holds up a write,
   * each statement bounded by the query timeout and cancelled with its request
   * (`query-context.ts`).
   */
  get readDb(): Kysely<Database> {
    return this.db;
  }

  /** Largest number of bound parameters in one statement. */
  abstract readonly maxParameters: number;
  /** Schema holding mcptrail's tables, when not the connection's default (migrations keep their table there too). */
  readonly schema: string | undefined = undefined;
  /** Most events stored in one write transaction (concurrent ingests are coalesced up to this). */
  readonly maxEventsPerTransaction: number = 5_000;
  /** The column type for bytes. */
  readonly binaryType: 'blob' | 'bytea' = 'blob';
  /** Whether tables read only by their primary key can be stored as that key alone (SQLite's `without rowid`). */
  readonly withoutRowid: boolean = false;
  /**
   * Rows per multi-row insert (`insertRows`); a fixed size keeps the SQL text, and so the cached statement, the same.
   */
  readonly insertChunkRows: number = Number.POSITIVE_INFINITY;

  /**
   * Serializes writers of the same session keys until `trx` ends, so that two
   * writers never plan sessions of one key from the same stale state. By
   * default nothing to do: the engine has one writer at a time.
   */
  async lockSessionKeys(_trx: Transaction<Database>, _projectId: string, _keys: readonly string[]): Promise<void> {}

  /**
   * Serializes writers that take the lock of the same name until `trx` ends (default: one writer at a time already).
   */
  async lockName(_trx: Transaction<Database>, _name: string): Promise<void> {}

  /**
   * `column` is one of `values`, bound as a single parameter: the statement's
   * text stays the same whatever the list's length, so it is prepared and
   * planned once (a parameter per value made a new statement for nearly every batch).
   */
  abstract inList(column: string, values: readonly string[]): RawBuilder<SqlBool>;

  /**
   * An aggregate: the group's `value`s as the text of one JSON array, in the
   * order of `orderBy` (in any order without). A session's requests come back as
   * one value instead of a row each (making a row is most of a read's cost).
   * Null for an empty group.
   */
  abstract jsonList(value: RawBuilder<unknown>, orderBy?: RawBuilder<unknown>): RawBuilder<string | null>;

  /** `values` as one JSON array (an element of `jsonList` that holds several columns). */
  abstract jsonTuple(values: readonly RawBuilder<unknown>[]): RawBuilder<unknown>;

  /** Which of `ids` the project has stored already. */
  async filterStored(trx: Transaction<Database>, projectId: string, ids: readonly string[]): Promise<string[]> {
    const rows = await trx
      .selectFrom('events')
      .select('id')
      .where('project_id', '=', projectId)
      .where(this.inList('id', ids))
      .execute();
    return rows.map((row) => row.id);
  }

  /**
   * Writes many rows of one table: cached multi-row inserts; with `upsert`, a conflict on `upsert.conflict` overwrites
   * `upsert.update`.
   */
  insertRows(
    trx: Transaction<Database>,
    table: 'events' | 'sessions',
    rows: readonly object[],
    upsert?: Upsert,
  ): Promise<void> {
    return insertChunked(this, trx, table, rows, upsert);
  }

  /**
   * Runs one write transaction (a group of ingests; the store runs one at a
   * time). An engine may run it again from the start after a transient
   * conflict, so `work` must derive everything from what it reads inside it.
   */
  writeTransaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Where ingest groups are stored: by default on this thread, one write transaction each. */
  startIngestWriter(sessionTimeoutMs: number): IngestWriter {
    const ctx = { engine: this, timeoutMs: sessionTimeoutMs };
    const schedule = new StatisticsSchedule();
    return {
      write: async (projects) => {
        const stored = await storeGroup(ctx, projects);
        // In the background: a failed refresh only leaves the previous statistics, and the next one comes soon.
        if (schedule.stored(stored)) this.refreshStatistics().catch(() => {});
        return stored;
      },
      close: async () => {},
    };
  }

  /**
   * The planner's statistics brought up to date after large ingests, without
   * waiting for the server's autovacuum (which may be off, and SQLite has none).
   */
  async refreshStatistics(): Promise<void> {
    await sql`analyze ${sql.join(STATISTICS_TABLES.map((table) => sql.id(table)))}`.execute(this.db);
  }

  async close(): Promise<void> {
    if (this.readDb !== this.db) await this.readDb.destroy();
    await this.db.destroy();
  }
}
