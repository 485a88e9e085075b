import type { ValidEvent } from '@mcptrail/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { SenderDrops } from './store.js';

/** With `insertRows`: a conflict on `conflict` overwrites the `update` columns. */
export interface Upsert {
  conflict: string;
  update: readonly string[];
}

/** What one ingest request brought for one project. */
export interface RequestEvents {
  events: readonly ValidEvent[];
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
  /** Resolves once the groups already handed over are stored and the writer has let go of the database; later writes are refused. */
  close(): Promise<void>;
}

/**
 * What differs between database engines. Everything else (queries, the ingest
 * transaction, migrations) is shared code in `KyselyStore`.
 */
export interface StorageEngine {
  readonly name: string;
  readonly db: Kysely<Database>;
  /**
   * Serializes writers of the same session keys until `trx` ends, so that two
   * writers never plan sessions of one key from the same stale state.
   */
  lockSessionKeys(trx: Transaction<Database>, projectId: string, keys: readonly string[]): Promise<void>;
  /** Serializes writers that take the lock of the same name until `trx` ends. */
  lockName(trx: Transaction<Database>, name: string): Promise<void>;
  /** How a list of values is bound as one parameter: an array (`= any($1)`) or JSON text read by `json_each`. */
  readonly listParameter: 'array' | 'json';
  /** Largest number of bound parameters in one statement. */
  readonly maxParameters: number;
  /** Rows per multi-row insert, when the engine caches statements by SQL text (a fixed size keeps the text the same). */
  readonly insertChunkRows?: number;
  /**
   * Optional fast path for writing many rows of one table in one statement
   * (PostgreSQL: one array per column through `unnest`, instead of a parameter per
   * value). With `upsert`, a conflict on `upsert.conflict` overwrites `upsert.update`.
   * Engines without it get chunked multi-row inserts.
   */
  insertRows?(trx: Transaction<Database>, table: 'events' | 'sessions', rows: readonly object[], upsert?: Upsert): Promise<void>;
  /** Most events stored in one write transaction (concurrent ingests are coalesced up to this); default 5,000. */
  readonly maxEventsPerTransaction?: number;
  /** Schema holding mcptrail's tables, when not the connection's default (migrations keep their table there too). */
  readonly schema?: string | undefined;
  /**
   * Runs one write transaction (a group of ingests; the store runs one at a
   * time). The engine may run it again from the start after a transient
   * conflict, so `work` must derive everything from what it reads inside it.
   */
  writeTransaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Optional: a writer that stores ingest groups off this thread, with the standard
   * session ids (SQLite: a thread with its own connection, so that reading requests
   * and writing the file use two cores). Without one, groups go through `writeTransaction`.
   */
  startIngestWriter?(sessionTimeoutMs: number): IngestWriter;
  close(): Promise<void>;
}
