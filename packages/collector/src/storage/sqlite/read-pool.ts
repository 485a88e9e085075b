import type { Worker } from 'node:worker_threads';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import { QueryCancelledError, querySignal, QueryTimeoutError } from '../query-context.js';
import { fromErrorInfo, startWorker, toErrorInfo, type ErrorInfo } from './worker-threads.js';

export interface ReadPoolOptions {
  path: string;
  /** Threads, each with a read-only connection. */
  workers: number;
  /** A statement running longer is abandoned: its thread is terminated and replaced. */
  queryTimeoutMs: number;
}

export type ReadRequest = { id: number; sql: string; parameters: readonly unknown[] };
/** `ready` once the thread has loaded: the query timeout counts a statement's time, not the thread's start. */
export type ReadReply =
  | { ready: true }
  | { id: number; rows: Record<string, unknown>[] }
  | { id: number; error: ErrorInfo };

/**
 * Queries on SQLite as a Kysely dialect, run by a pool of threads with a
 * read-only connection each (`better-sqlite3` blocks the thread it runs on; WAL
 * lets them read beside the writer). A connection is one thread, lent for a
 * query or a transaction; every statement outside a transaction reads the
 * latest commit. A statement that outlives the query timeout, or whose request's
 * client went away (`query-context.ts`), is abandoned: its thread is terminated
 * and a new one takes its place. SQLite cannot be interrupted from outside, so
 * the abandoned thread finishes that statement before it exits (using a core,
 * and holding its read snapshot, meanwhile). Threads in all, abandoned ones
 * included, are at most twice `workers`: past that, queries wait for one to end.
 */
export function readPoolDialect(options: ReadPoolOptions): Dialect {
  return {
    createDriver: () => new ReadPoolDriver(options),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createAdapter: () => new SqliteAdapter(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  };
}

class ReadPoolDriver implements Driver {
  private readonly pool: ReadPool;

  constructor(options: ReadPoolOptions) {
    this.pool = new ReadPool(options);
  }

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    return this.pool.acquire();
  }

  // Deferred: the snapshot begins with the first read, and lasts until the end of the transaction.
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.pool.release(connection as ReadThread);
  }

  destroy(): Promise<void> {
    return this.pool.close();
  }
}

/** What waits for a thread: a query, until one is free or its client goes away. */
interface Waiter {
  resolve: (thread: ReadThread) => void;
  reject: (error: Error) => void;
}

class ReadPool {
  private readonly threads = new Set<ReadThread>();
  private readonly idle: ReadThread[] = [];
  private readonly waiting: Waiter[] = [];
  private closed = false;

  constructor(private readonly options: ReadPoolOptions) {}

  acquire(): Promise<ReadThread> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const signal = querySignal();
    if (signal?.aborted) return Promise.reject(new QueryCancelledError());
    const thread = this.idle.pop() ?? this.spawn();
    if (thread) return thread.ready.then(() => thread);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new QueryCancelledError());
      };
      const waiter: Waiter = {
        resolve: (thread) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(thread.ready.then(() => thread));
        },
        reject,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  release(thread: ReadThread): void {
    if (thread.state !== 'open' || this.closed) {
      this.dispatch();
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(thread);
    else this.idle.push(thread);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('the store is closed'));
    this.idle.length = 0;
    // An idle thread exits at once; one inside a statement only once it ends, which close does not wait for.
    const idle = [...this.threads].filter((thread) => thread.state === 'open' && !thread.busy);
    for (const thread of this.threads) thread.stop(new Error('the store is closed'));
    await Promise.all(idle.map((thread) => thread.exited));
  }

  /**
   * A new thread while fewer than `workers` take queries, and fewer than twice as many run, abandoned ones included.
   */
  private spawn(): ReadThread | null {
    const open = [...this.threads].filter((thread) => thread.state === 'open').length;
    if (this.closed || open >= this.options.workers || this.threads.size >= 2 * this.options.workers) return null;
    const thread = new ReadThread(this.options, {
      stopped: () => this.dispatch(),
      exited: () => {
        this.threads.delete(thread);
        const idle = this.idle.indexOf(thread);
        if (idle >= 0) this.idle.splice(idle, 1);
        this.dispatch();
      },
    });
    this.threads.add(thread);
    return thread;
  }

  /** Hands new threads to waiting queries, as far as the limits allow. */
  private dispatch(): void {
    while (this.waiting.length > 0) {
      const thread = this.idle.pop() ?? this.spawn();
      if (!thread) return;
      this.waiting.shift()!.resolve(thread);
    }
  }
}

interface Pending {
  resolve: (rows: Record<string, unknown>[]) => void;
  reject: (error: Error) => void;
}

/** One thread and its read-only connection; to Kysely, a connection. */
class ReadThread implements DatabaseConnection {
  /** `stopping`: terminated, but maybe still inside a statement it cannot leave. */
  state: 'open' | 'stopping' | 'exited' = 'open';
  /** Resolves once the thread has loaded and takes queries; rejects if it exits first. */
  readonly ready: Promise<void>;
  /** Resolves once the thread has exited. */
  readonly exited: Promise<void>;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(
    private readonly options: ReadPoolOptions,
    private readonly events: { stopped: () => void; exited: () => void },
  ) {
    this.worker = startWorker('read-worker-entry', { path: options.path });
    let loaded = () => {};
    const loading = new Promise<void>((resolve) => {
      loaded = resolve;
    });
    this.worker.on('message', (reply: ReadReply) => {
      if ('ready' in reply) return loaded();
      const request = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if ('error' in reply) request?.reject(fromErrorInfo(reply.error));
      else request?.resolve(reply.rows.map(withBuffers));
    });
    this.worker.on('error', (error) => this.fail(fromErrorInfo(toErrorInfo(error))));
    const exited = new Promise<Error>((resolve) =>
      this.worker.once('exit', (code) => {
        const error = new Error(`the SQLite read thread exited (code ${code})`);
        this.fail(error);
        this.state = 'exited';
        this.events.exited();
        resolve(error);
      }),
    );
    this.exited = exited.then(() => {});
    this.ready = Promise.race([loading, exited.then((error) => Promise.reject(error))]);
    // A thread that never loads fails the query waiting for it; nobody else need hear of it.
    this.ready.catch(() => {});
  }

  /** Inside a statement (or about to be). */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.state !== 'open') throw new Error('this read connection was closed (its query was stopped)');
    const signal = querySignal();
    if (signal?.aborted) throw new QueryCancelledError();
    const id = this.nextId++;
    const { queryTimeoutMs } = this.options;
    let settled = () => {};
    try {
      const rows = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const timer = setTimeout(() => this.stop(new QueryTimeoutError(queryTimeoutMs)), queryTimeoutMs);
        const onAbort = () => this.stop(new QueryCancelledError());
        signal?.addEventListener('abort', onAbort, { once: true });
        settled = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        };
        this.pending.set(id, { resolve, reject });
        this.worker.postMessage({ id, sql: query.sql, parameters: query.parameters } satisfies ReadRequest);
      });
      return { rows: rows as R[] };
    } finally {
      settled();
    }
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the SQLite read pool does not stream results; read a page at a time');
  }

  /** Abandons the thread: its queries fail with `error`; it exits once out of SQLite (`exited`). */
  stop(error: Error): void {
    if (this.state !== 'open') return;
    this.state = 'stopping';
    this.fail(error);
    void this.worker.terminate();
    this.events.stopped();
  }

  private fail(error: Error): void {
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
  }
}

/**
 * BLOBs arrive as `Uint8Array` (structured clone drops the `Buffer` prototype); as `Buffer` again, like the main
 * connection's rows.
 */
function withBuffers(row: Record<string, unknown>): Record<string, unknown> {
  for (const [column, value] of Object.entries(row)) {
    if (value instanceof Uint8Array && !Buffer.isBuffer(value))
      row[column] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return row;
}
