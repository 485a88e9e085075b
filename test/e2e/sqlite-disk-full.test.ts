// A full disk under a SQLite collector (issue 10): it answers 503 with Retry-After, names
// SQLITE_FULL in the log once, stores nothing half-way, and takes writes again once space returns.
import { fileURLToPath } from 'node:url';
import { createProject, openStore } from '@mcptrail/collector';
import type { StatsResponse } from '@mcptrail/protocol';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startCollector, tempDbPath } from '../support/collector.js';

const FULL_DISK = fileURLToPath(new URL('../support/sqlite-full-disk.cjs', import.meta.url));
const NOW = Date.now();
const batch = (n: number) =>
  Array.from({ length: 100 }, (_, i) => ({
    id: `b${n}-${i}`,
    timestamp: NOW - 60_000 + i,
    method: 'tools/call',
    target: 'search',
    user: { id: `user-${n % 7}` },
    arguments: { q: 'x'.repeat(200) },
  }));

describe('SQLite disk full', () => {
  it('answers 503 + Retry-After while full, logs SQLITE_FULL once, and recovers when space returns', async () => {
    // A migrated database with two ballast tables; dropping the first leaves ~1 MiB of free pages,
    // all the collector may use (the preload stops the file from growing), until the second goes too.
    const db = tempDbPath();
    const store = await openStore({ db, sessionTimeoutMs: 30 * 60_000 });
    const project = await createProject(store, 'full');
    await store.close();
    const file = new Database(db);
    file.pragma('busy_timeout = 5000');
    for (const table of ['ballast_a', 'ballast_b']) {
      file.exec(`create table ${table} (x blob)`);
      const insert = file.prepare(`insert into ${table} values (?)`);
      for (let i = 0; i < 64; i++) insert.run(Buffer.alloc(16_000));
    }
    file.exec('drop table ballast_a');
    file.pragma('wal_checkpoint(TRUNCATE)');

    const collector = await startCollector({ db, project, logLevel: 'info', nodeArgs: ['--require', FULL_DISK] });
    try {
      const send = (n: number) =>
        collector.fetch('/v1/events', {
          method: 'POST',
          headers: { authorization: `Bearer ${project.writeKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events: batch(n) }),
        });
      let sent = 0;
      let refused: Response | undefined;
      for (; sent < 200 && !refused; sent++) {
        const res = await send(sent);
        if (res.status !== 200) refused = res;
      }
      expect(sent).toBeGreaterThan(1);
      expect(refused?.status).toBe(503);
      expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await refused!.json()) as { error: { code: string } }).error.code).toBe('database_unavailable');
      // Still full: refused again, and nothing of the refused batches is stored.
      for (let i = 0; i < 3; i++) expect((await send(sent - 1)).status).toBe(503);
      const stats = () => collector.get<StatsResponse>(`/v1/stats?from=${NOW - 3_600_000}`);
      expect((await stats()).events).toBe((sent - 1) * 100);

      file.exec('drop table ballast_b');
      file.close();
      expect((await send(sent - 1)).status).toBe(200);
      expect((await stats()).events).toBe(sent * 100);
      expect(collector.child.exitCode).toBeNull();

      const log = collector.output();
      expect(log).not.toContain('cannot rollback');
      expect(log.match(/database unavailable: SQLITE_FULL/g), log).toHaveLength(1);
      expect(log.match(/database available again/g), log).toHaveLength(1);
    } finally {
      await collector.stop();
    }
  });
});
