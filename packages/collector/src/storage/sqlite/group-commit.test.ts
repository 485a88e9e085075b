import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StorageEngine } from '../engine.js';
import { migrate } from '../open-store.js';
import { createSqliteEngine } from './sqlite-engine.js';

const project = (id: string) => ({ id, name: id, write_key_hash: `w${id}`, read_key_hash: `r${id}`, created_at: 0, dropped_events: 0 });

describe('SQLite group commit', () => {
  let engine: StorageEngine;
  afterEach(() => engine.close());

  it('commits concurrent writes together and rolls back only the one that fails', async () => {
    engine = createSqliteEngine(join(mkdtempSync(join(tmpdir(), 'mcptrail-gc-')), 'db.sqlite'));
    await migrate(engine);
    const results = await Promise.allSettled([
      engine.writeTransaction(async (trx) => trx.insertInto('projects').values(project('a')).execute()),
      engine.writeTransaction(async (trx) => {
        await trx.insertInto('projects').values(project('b')).execute();
        throw new Error('second fails after writing');
      }),
      engine.writeTransaction(async (trx) => trx.insertInto('projects').values(project('c')).execute()),
      // Violates the primary key: fails inside SQLite, not in our code.
      engine.writeTransaction(async (trx) => trx.insertInto('projects').values(project('a')).execute()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    const ids = await engine.db.selectFrom('projects').select('id').orderBy('id').execute();
    expect(ids.map((row) => row.id)).toEqual(['a', 'c']);
  });
});
