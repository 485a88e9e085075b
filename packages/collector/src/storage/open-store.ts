import { Migrator } from 'kysely';
import type { Availability } from './availability.js';
import { KyselyStore } from './kysely/kysely-store.js';
import { migrationProvider } from './migrations/index.js';
import { createSqliteEngine } from './sqlite/sqlite-engine.js';
import type { StorageEngine } from './engine.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** A file path for SQLite, or a `postgres://` URL. */
  db: string;
  sessionTimeoutMs: number;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** SQLite: threads that run queries (default 2). */
  readWorkers?: number;
  /** Longest a query may run (default 15 s). */
  queryTimeoutMs?: number;
  /** Most events one paths or what-if answer reads. */
  insightEventLimit?: number;
  /** Hears every outage of the database begin and end. */
  availability?: Availability;
}

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

export async function openEngine(options: OpenStoreOptions): Promise<StorageEngine> {
  if (isPostgresUrl(options.db)) {
    const { createPostgresEngine } = await import('./postgres/postgres-engine.js');
    return createPostgresEngine(options.db, {
      poolSize: options.poolSize,
      queryTimeoutMs: options.queryTimeoutMs,
      availability: options.availability,
    });
  }
  return createSqliteEngine(options.db, {
    readWorkers: options.readWorkers,
    queryTimeoutMs: options.queryTimeoutMs,
    availability: options.availability,
  });
}

/** Opens the database, brings its schema up to date, and returns the store. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const engine = await openEngine(options);
  try {
    await migrate(engine);
  } catch (error) {
    await engine.close();
    throw error;
  }
  return new KyselyStore({
    engine,
    sessionTimeoutMs: options.sessionTimeoutMs,
    insightEventLimit: options.insightEventLimit,
  });
}

/**
 * Brings the schema up to date, or up to the migration named `upTo` (tests of a migration start from the one before).
 */
export async function migrate(engine: StorageEngine, upTo?: string): Promise<void> {
  const migrator = new Migrator({
    db: engine.db,
    provider: migrationProvider({ binary: engine.binaryType, withoutRowid: engine.withoutRowid }),
    ...(engine.schema ? { migrationTableSchema: engine.schema } : {}),
  });
  const { error } = await (upTo === undefined ? migrator.migrateToLatest() : migrator.migrateTo(upTo));
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
