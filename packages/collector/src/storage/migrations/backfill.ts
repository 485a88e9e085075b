import type { Kysely, Transaction } from 'kysely';
import type { RollupWriter } from '../kysely/rollup-writes.js';
import type { Database } from '../schema.js';

/** Rows a backfill reads and writes at once. */
const CHUNK = 10_000;

/**
 * A migration that fills tables from what is already stored, with the code ingest uses: `fill` runs for each
 * project in the migration's transaction, under the migration lock (so its writer takes no lock of its own).
 */
export async function backfillEachProject(
  untyped: Kysely<unknown>,
  fill: (db: Transaction<Database>, writer: RollupWriter, projectId: string) => Promise<void>,
): Promise<void> {
  // Kysely's migrator runs each migration in a transaction, and hands it over as `db`.
  const db = untyped as unknown as Transaction<Database>;
  const writer = { maxParameters: 30_000, lockName: async () => {} };
  for (const { id: projectId } of await db.selectFrom('projects').select('id').execute()) {
    await fill(db, writer, projectId);
  }
}

/** Rows in chunks, keyset paging on their `id`: `read` answers the `limit` rows after `after`, `write` stores them. */
export async function inChunks<Row extends { id: string }>(
  read: (after: string, limit: number) => Promise<Row[]>,
  write: (rows: Row[]) => Promise<void>,
): Promise<void> {
  for (let after = ''; ; ) {
    const rows = await read(after, CHUNK);
    if (rows.length === 0) return;
    after = rows.at(-1)!.id;
    await write(rows);
  }
}
