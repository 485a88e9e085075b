import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import { type Availability, StorageUnavailableError, type Unavailability } from './availability.js';
import { withDriver } from './with-driver.js';

/**
 * An engine's reading of its driver's errors: how the database is unavailable, or null when the error is about the
 * request.
 */
export type ClassifyError = (error: unknown) => Unavailability | null;

/**
 * Wraps an engine's Kysely dialect so that every operation (queries, connecting,
 * begin/commit/rollback, on every path: ingest, queries, migrations) turns the
 * driver errors the engine classifies as "unavailable" into a
 * `StorageUnavailableError`, and reports its outcome to `availability`.
 */
export function withAvailability(dialect: Dialect, classify: ClassifyError, availability: Availability): Dialect {
  const guard: Guard = (operation, proves) =>
    availability.track(async () => {
      try {
        return await operation();
      } catch (error) {
        const unavailable = classify(error);
        throw unavailable ? new StorageUnavailableError(unavailable, { cause: error }) : error;
      }
    }, proves);
  return withDriver(dialect, () => new AvailabilityDriver(dialect.createDriver(), guard));
}

type Guard = <T>(operation: () => Promise<T>, proves?: 'answers' | 'writes') => Promise<T>;

class AvailabilityConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly guard: Guard,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.guard(() => this.inner.executeQuery<R>(query), 'answers');
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class AvailabilityDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly guard: Guard,
  ) {}

  init(): Promise<void> {
    return this.guard(() => this.inner.init());
  }

  /** Proves nothing: a pooled connection is handed out without asking the database. */
  async acquireConnection(): Promise<DatabaseConnection> {
    return new AvailabilityConnection(await this.guard(() => this.inner.acquireConnection()), this.guard);
  }

  beginTransaction(connection: AvailabilityConnection, settings: TransactionSettings): Promise<void> {
    return this.guard(() => this.inner.beginTransaction(connection.inner, settings), 'answers');
  }

  /** A commit that succeeds is the proof that the database takes writes again. */
  commitTransaction(connection: AvailabilityConnection): Promise<void> {
    return this.guard(() => this.inner.commitTransaction(connection.inner), 'writes');
  }

  /** Proves nothing: the engine ends a transaction quietly when the database already has. */
  rollbackTransaction(connection: AvailabilityConnection): Promise<void> {
    return this.guard(() => this.inner.rollbackTransaction(connection.inner));
  }

  savepoint(connection: AvailabilityConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.guard(() => this.inner.savepoint!(connection.inner, name, compile));
  }

  rollbackToSavepoint(
    connection: AvailabilityConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.guard(() => this.inner.rollbackToSavepoint!(connection.inner, name, compile));
  }

  releaseSavepoint(
    connection: AvailabilityConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return this.guard(() => this.inner.releaseSavepoint!(connection.inner, name, compile));
  }

  releaseConnection(connection: AvailabilityConnection): Promise<void> {
    return this.inner.releaseConnection(connection.inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
