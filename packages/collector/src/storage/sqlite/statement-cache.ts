import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Kysely's view of the connection, and whether a transaction is open on it. */
export interface CachedSqliteDatabase extends SqliteDatabase {
  readonly inTransaction: boolean;
}

/**
 * Kysely prepares every query anew; the ingest path repeats the same few SQL
 * texts, and preparing a multi-row insert costs more than running it. This
 * hands Kysely cached statements (a small LRU by SQL text).
 */
export function withStatementCache(db: Database, capacity = 128): CachedSqliteDatabase {
  const prepare = cachedPrepare(db, capacity);
  return {
    close: () => db.close(),
    get inTransaction() {
      return db.inTransaction;
    },
    prepare: (sql: string) => prepare(sql) as unknown as ReturnType<SqliteDatabase['prepare']>,
  };
}

/** `db.prepare`, from a small LRU of statements by SQL text. */
export function cachedPrepare(db: Database, capacity = 128): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql); // re-inserted below: most recent last
    } else {
      statement = db.prepare(sql);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement);
    return statement;
  };
}
