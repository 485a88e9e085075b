import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { QueryCancelledError, querySignal, QueryTimeoutError } from '../query-context.js';

/** SQLSTATE query_canceled: by `statement_timeout`, or by a cancel request. */
const QUERY_CANCELED = '57014';

export interface QueryPoolOptions {
  /** The connections' `statement_timeout`: the server stops a statement past it. */
  queryTimeoutMs: number;
  /** Asks the server to stop the statement the backend `pid` runs (on another connection). */
  cancel: (pid: number) => Promise<void>;
}

/**
 * `pool` as Kysely's `PostgresDialect` takes it, for queries: a statement past
 * the connections' `statement_timeout` fails with `QueryTimeoutError`, and one
 * whose request's client went away (`query-context.ts`) fails at once with
 * `QueryCancelledError` while the server is asked to stop it. Its connection is
 * then closed, not reused, so that a late cancel can never stop the next query.
 */
export function cancellableReads(pool: pg.Pool, options: QueryPoolOptions): PostgresPool {
  // Each backend's pid, asked once per connection: pipelined before its first query, so it costs no wait.
  const pids = new WeakMap<pg.PoolClient, Promise<number | undefined>>();
  const pidOf = (client: pg.PoolClient) => {
    let pid = pids.get(client);
    if (!pid) {
      pid = client.query<{ pid: number }>('select pg_backend_pid() as pid').then(
        (result) => result.rows[0]?.pid,
        () => undefined,
      );
      pids.set(client, pid);
    }
    return pid;
  };
  return {
    async connect() {
      const signal = querySignal();
      if (signal?.aborted) throw new QueryCancelledError();
      const connecting = pool.connect();
      // A query that waits for a free connection stops waiting when its client goes away.
      const client = await unlessAborted(connecting, signal, () => {
        connecting.then((late) => late.release()).catch(() => {});
      });
      return new ReadClient(client, pidOf(client), options);
    },
    end: () => pool.end(),
  };
}

/** `work`'s outcome, or `QueryCancelledError` as soon as `signal` fires, after `abandon` has been called. */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, abandon: () => void): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      abandon();
      reject(new QueryCancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

class ReadClient implements PostgresPoolClient {
  /** A statement of this connection was abandoned: the connection goes. */
  private abandoned = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly pid: Promise<number | undefined>,
    private readonly options: QueryPoolOptions,
  ) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sql: string | PostgresCursor<R>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sql !== 'string') throw new Error('queries on PostgreSQL are not streamed; read a page at a time');
    return this.run<R>(sql, parameters);
  }

  release(): void {
    this.client.release(this.abandoned);
  }

  private async run<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    const signal = querySignal();
    if (signal?.aborted) throw new QueryCancelledError();
    const running = this.client.query(sql, [...parameters]) as unknown as Promise<PostgresQueryResult<R>>;
    try {
      return await unlessAborted(running, signal, () => {
        // The connection goes on release (see `release`), and the server is asked to stop the statement.
        this.abandoned = true;
        void this.pid.then((pid) => (pid === undefined ? undefined : this.options.cancel(pid))).catch(() => {});
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === QUERY_CANCELED && !this.abandoned)
        throw new QueryTimeoutError(this.options.queryTimeoutMs);
      throw error;
    }
  }
}
