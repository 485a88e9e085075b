import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadReply, ReadRequest } from './read-pool.js';
import { cachedPrepare } from './statement-cache.js';
import { lowerThreadPriority, toErrorInfo } from './worker-threads.js';

const port = parentPort!;
lowerThreadPriority();
const { path } = workerData as { path: string };
// Opened on the first query, so that a file that cannot be opened fails that query with the driver's message.
let prepare: ((sql: string) => Database.Statement) | undefined;
const open = () => {
  if (prepare) return prepare;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -16384');
  prepare = cachedPrepare(db);
  return prepare;
};

// One statement at a time, each its own read transaction (outside `begin`…`commit`): it sees the latest commit.
port.on('message', ({ id, sql, parameters }: ReadRequest) => {
  let reply: ReadReply;
  try {
    const statement = open()(sql);
    // A write would fail as SQLITE_READONLY, which reads as "the disk cannot be written"; say what happened instead.
    if (!statement.readonly)
      throw new Error(`the read pool does not write; run this on the engine's db: ${sql.slice(0, 100)}`);
    let rows: Record<string, unknown>[] = [];
    // Not a reader, yet not writing: `begin`, `commit`, `rollback` of a read transaction.
    if (statement.reader) rows = statement.all(parameters) as Record<string, unknown>[];
    else statement.run(parameters);
    reply = { id, rows };
  } catch (error) {
    reply = { id, error: toErrorInfo(error) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies ReadReply);
