import { AsyncLocalStorage } from 'node:async_hooks';

/** What the reads made for one request share, without passing it through every store method. */
export interface QueryContext {
  /** Fires when the request's client has gone away: its reads stop (docs/storage.md, "Reads"). */
  signal: AbortSignal;
}

const contexts = new AsyncLocalStorage<QueryContext>();

/** Runs `work` so that every read it starts, however deep, belongs to `context`. */
export function withQueryContext<T>(context: QueryContext, work: () => T): T {
  return contexts.run(context, work);
}

/** The signal of the request the read being made serves; none outside a request (startup, tests). */
export function querySignal(): AbortSignal | undefined {
  return contexts.getStore()?.signal;
}

/** A statement ran longer than the query timeout (`--query-timeout`) and was stopped. */
export class QueryTimeoutError extends Error {
  override readonly name = 'QueryTimeoutError';

  constructor(readonly timeoutMs: number) {
    super(
      `the query ran longer than the collector's query timeout (${timeoutMs / 1000} s) and was stopped; ` +
        'ask for a shorter time range, or try again later',
    );
  }
}

/** A read was stopped because its request's client went away: nobody waits for the answer. */
export class QueryCancelledError extends Error {
  override readonly name = 'QueryCancelledError';

  constructor() {
    super('the query was cancelled: its client went away');
  }
}
