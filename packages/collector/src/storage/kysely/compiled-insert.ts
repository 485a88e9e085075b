import { CompiledQuery, type Transaction } from 'kysely';
import type { StorageEngine, Upsert } from '../engine.js';
import type { Database } from '../schema.js';

/**
 * Multi-row inserts whose SQL text is built by Kysely once per (engine, table,
 * row count) and then only bound: building a 100-row insert costs more than
 * running it. The values are bound in the column order of the first row.
 */
const sqlCache = new WeakMap<StorageEngine, Map<string, string>>();

export async function insertChunked(
  engine: StorageEngine,
  trx: Transaction<Database>,
  table: 'events' | 'sessions',
  rows: readonly object[],
  upsert?: Upsert,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const largest = Math.min(engine.insertChunkRows, Math.floor(engine.maxParameters / columns.length));
  let cache = sqlCache.get(engine);
  if (!cache) sqlCache.set(engine, (cache = new Map()));
  for (let start = 0; start < rows.length; ) {
    const chunk = rows.slice(start, start + statementRows(rows.length - start, largest)) as Record<string, unknown>[];
    start += chunk.length;
    const key = `${table}:${chunk.length}:${columns.join(',')}:${upsert ? upsert.update.join(',') : ''}`;
    let text = cache.get(key);
    if (text === undefined) {
      text = build(trx, table, columns, chunk.length, upsert);
      cache.set(key, text);
    }
    const parameters = new Array<unknown>(chunk.length * columns.length);
    let i = 0;
    for (const row of chunk) for (const column of columns) parameters[i++] = row[column];
    await trx.executeQuery(CompiledQuery.raw(text, parameters));
  }
}

/**
 * Statements come in a few sizes (largest, a quarter of it, …, 1) rather than
 * one per remainder: each size is a prepared statement the engine keeps, and a
 * 400-row insert is a large program.
 */
function statementRows(remaining: number, largest: number): number {
  let size = largest;
  while (size > remaining) size = Math.max(1, Math.floor(size / 4));
  return size;
}

function build(
  trx: Transaction<Database>,
  table: 'events' | 'sessions',
  columns: string[],
  count: number,
  upsert?: Upsert,
): string {
  const placeholderRow = Object.fromEntries(columns.map((column) => [column, null]));
  const insert = trx.insertInto(table).values(Array.from({ length: count }, () => placeholderRow) as never);
  const query = upsert
    ? insert.onConflict((oc) =>
        oc
          .column(upsert.conflict as never)
          .doUpdateSet(
            (eb) =>
              Object.fromEntries(
                upsert.update.map((column) => [column, eb.ref(`excluded.${column}` as never)]),
              ) as never,
          ),
      )
    : insert;
  return query.compile().sql;
}
