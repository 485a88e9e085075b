import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { StorageEngine } from '../engine.js';
import { withStatementCache } from './statement-cache.js';
import type { Database as Schema } from '../schema.js';

/**
 * The embedded default: one file, WAL journal. `synchronous = NORMAL` keeps every
 * committed transaction through a crash of the process (kill -9); `durability:
 * 'full'` also survives power loss at some cost in throughput (docs/storage.md).
 */
export function createSqliteEngine(path: string, options: { durability?: 'normal' | 'full' } = {}): StorageEngine {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // Larger pages: fewer, larger writes per commit for ingest's scattered index updates (takes effect on a new file).
  sqlite.pragma('page_size = 16384');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Ingest touches index pages all over a large file: keep 64 MB of them in memory, and let
  // the WAL reach 40 MB before a checkpoint so pages written by many commits reach the file once.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('wal_autocheckpoint = 2500');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    name: 'sqlite',
    db,
    // One connection, and Kysely runs its transactions one at a time: writers are already serialized.
    lockSessionKeys: async () => {},
    maxParameters: 32_000,
    insertChunkRows: 100,
    writeTransaction: (work) => db.transaction().execute(work),
    close: () => db.destroy(),
  };
}
