import { sql, type Transaction } from 'kysely';
import type { StorageEngine } from '../engine.js';
import type { Database } from '../schema.js';

type ColumnTypes = Map<string, string>;

/**
 * `insert … select * from unnest($1::text[], $2::bigint[], …)`: one array per
 * column, so the statement and its plan stay the same size whatever the number
 * of rows (a multi-row VALUES binds rows × columns parameters). The array types
 * come from the catalog, read once: the migrations stay the one schema source.
 */
export function unnestInsert(): StorageEngine['insertRows'] {
  let types: Promise<Map<string, ColumnTypes>> | undefined;
  return async (trx, table, rows, upsert) => {
    if (rows.length === 0) return;
    types ??= loadColumnTypes(trx).catch((error: unknown) => {
      types = undefined;
      throw error;
    });
    const columnTypes = (await types).get(table);
    if (!columnTypes) throw new Error(`table ${table} not found`);
    const records = rows as readonly Record<string, unknown>[];
    const columns = Object.keys(records[0]!);
    const arrays = columns.map((column) => {
      const type = columnTypes.get(column);
      if (!type) throw new Error(`column ${table}.${column} not found`);
      return sql`${records.map((row) => row[column] ?? null)}::${sql.raw(type)}[]`;
    });
    const conflict = upsert
      ? sql` on conflict (${sql.id(upsert.conflict)}) do update set ${sql.join(
          upsert.update.map((column) => sql`${sql.id(column)} = excluded.${sql.id(column)}`),
        )}`
      : sql``;
    const names = sql.join(columns.map((column) => sql.id(column)));
    await sql`insert into ${sql.id(table)} (${names}) select * from unnest(${sql.join(arrays)})${conflict}`.execute(
      trx,
    );
  };
}

async function loadColumnTypes(trx: Transaction<Database>): Promise<Map<string, ColumnTypes>> {
  const result = await sql<{ table: string; column: string; type: string }>`
    select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type
    from pg_attribute a join pg_class c on c.oid = a.attrelid
    where c.oid in (to_regclass('events'), to_regclass('sessions')) and a.attnum > 0 and not a.attisdropped`.execute(
    trx,
  );
  const tables = new Map<string, ColumnTypes>();
  for (const row of result.rows) {
    const columns = tables.get(row.table) ?? new Map<string, string>();
    columns.set(row.column, row.type);
    tables.set(row.table, columns);
  }
  return tables;
}
