import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { it } from 'vitest';

/** The server the PostgreSQL tests use; `.ci/ensure-postgres.sh` provides it in CI. */
export const TEST_POSTGRES_URL = process.env.MCPTRAIL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type PostgresProbe = { ok: true } | { ok: false; reason: string };

/** Whether the test server answers. */
export async function probePostgres(): Promise<PostgresProbe> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `PostgreSQL at ${TEST_POSTGRES_URL} is unreachable (${(error as Error).message})` };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Registers what to do when PostgreSQL is missing: locally the suite is skipped
 * with a printed reason; under CI a failing test says why.
 */
export function reportMissingPostgres(probe: { ok: false; reason: string }, suite: string): void {
  if (process.env.CI) {
    it(`${suite}: PostgreSQL is required in CI`, () => {
      throw new Error(probe.reason);
    });
    return;
  }
  console.warn(`skipping ${suite}: ${probe.reason}`);
  it.skip(`${suite} (skipped: ${probe.reason})`, () => {});
}

export interface TestSchema {
  /** A collector `--db` URL (`?schema=`). */
  url: string;
  name: string;
  /** Empties every table but the migration bookkeeping, so the migrated schema can serve the next test. */
  empty(): Promise<void>;
  drop(): Promise<void>;
}

export interface TestDatabase {
  url: string;
  /** A fresh, empty schema in this database, as a collector `--db` URL (`?schema=`), and a way to drop it. */
  schema(prefix: string): TestSchema;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file, so that schemas other files create
 * and drop meanwhile never show up in its catalog (migrations introspect it).
 */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(TEST_POSTGRES_URL, `create database ${name} template template0`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    url: databaseUrl,
    schema(schemaPrefix) {
      const schemaName = `${schemaPrefix}_${randomBytes(6).toString('hex')}`;
      const schemaUrl = new URL(databaseUrl);
      schemaUrl.searchParams.set('schema', schemaName);
      return {
        url: schemaUrl.toString(),
        name: schemaName,
        empty: () =>
          admin(
            databaseUrl,
            `do $$ declare t text; begin
               for t in select tablename from pg_tables
                 where schemaname = '${schemaName}' and tablename not like 'kysely%' loop
                 execute format('truncate %I.%I', '${schemaName}', t);
               end loop;
             end $$`,
          ),
        drop: () => admin(databaseUrl, `drop schema if exists ${schemaName} cascade`),
      };
    },
    drop: () => admin(TEST_POSTGRES_URL, `drop database if exists ${name} with (force)`),
  };
}

async function admin(connectionString: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
