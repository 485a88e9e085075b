import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createTestDatabase, probePostgres } from '../../../test/support/postgres.js';

/**
 * Where a migration test builds its old database: a SQLite file, and a PostgreSQL schema when a server answers here;
 * both removed after the file's tests. `name` keeps the test's database and folder apart from other files'.
 */
export async function migrationTargets(name: string): Promise<{ name: string; db: () => string }[]> {
  const probe = await probePostgres();
  const database = probe.ok ? await createTestDatabase(`mct_${name}_test`) : null;
  const folder = mkdtempSync(join(tmpdir(), `mcptrail-${name}-`));
  afterAll(async () => {
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
  });
  return [
    { name: 'sqlite', db: () => join(folder, 'old.db') },
    ...(database ? [{ name: 'postgres', db: () => database.schema(`mct_${name}`).url }] : []),
  ];
}
