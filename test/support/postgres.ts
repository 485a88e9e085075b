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

/** A fresh, empty schema on the test server, as a collector `--db` URL (`?schema=`), and a way to drop it. */
export function freshSchema(prefix = 'mct'): { url: string; name: string; drop(): Promise<void> } {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('schema', name);
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${name} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
