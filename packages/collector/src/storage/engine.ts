import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

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
  /** Largest number of bound parameters in one statement. */
  readonly maxParameters: number;
  close(): Promise<void>;
}
