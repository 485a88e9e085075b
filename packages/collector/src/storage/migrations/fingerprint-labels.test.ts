import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationTargets } from '../../../test-support/migration-targets.js';
import { valid } from '../store.contract.js';
import type { KyselyStore } from '../kysely/kysely-store.js';
import { migrate, openEngine, openStore } from '../open-store.js';

const targets = await migrationTargets('fplabels');

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 20, 10);
const KEY = JSON.stringify(['f', 'v', 'fp']);
const fingerprinted = { user: { id: 'v' }, clientFingerprint: 'fp' };

describe.each(targets)('migration 0012 on $name', ({ db: url }) => {
  it('keeps the label each stored session of a fingerprint key shows; a new version names what follows', async () => {
    const db = url();
    const engine = await openEngine({ db, sessionTimeoutMs: 30 * 60_000, readWorkers: 1 });
    try {
      await migrate(engine, '0011_session_steps');
      await sql`insert into projects (id, name, write_key_hash, read_key_hash, created_at)
        values ('p1', 'p', 'w', 'r', 0)`.execute(engine.db);
      // Two stretches of activity of one key, both showing the client its first one learned (as 0004–0011 stored it).
      for (const [id, start] of [
        ['ses_1', T0],
        ['ses_2', T0 + 2 * HOUR],
      ] as const) {
        await sql`insert into sessions (id, project_id, kind, group_key, started_at, ended_at, first_event_id,
            event_count, error_count, user_id, client_name, client_version, client_rank)
          values (${id}, 'p1', 'grouped', ${KEY}, ${start}, ${start + 60_000}, ${`${id}-e`}, 1, 0, 'v',
            'cursor-vscode', '3', 2)`.execute(engine.db);
      }
      await sql`insert into fingerprint_clients
          (project_id, group_key, client_name, client_version, client_rank, seen_at)
        values ('p1', ${KEY}, 'cursor-vscode', '3', 2, ${T0})`.execute(engine.db);
    } finally {
      await engine.close();
    }

    const store = await openStore({ db, sessionTimeoutMs: 30 * 60_000 });
    try {
      const call = (id: string, at: number) =>
        valid({ id, timestamp: at, method: 'tools/call', target: 'search', ...fingerprinted });
      // A stretch without an initialize shows the key's client; a newer version's initialize names its own and later.
      await store.ingest('p1', [call('c1', T0 + 4 * HOUR)], 0, Date.now());
      await store.ingest(
        'p1',
        [
          valid({
            id: 'i2',
            timestamp: T0 + 6 * HOUR,
            method: 'initialize',
            client: { name: 'cursor-vscode', version: '4' },
            ...fingerprinted,
          }),
          call('c2', T0 + 6 * HOUR + 1000),
        ],
        0,
        Date.now(),
      );
      await store.ingest('p1', [call('c3', T0 + 8 * HOUR)], 0, Date.now());
      const { rows } = await sql<{ started_at: number | string; client_name: string; client_version: string }>`
        select started_at, client_name, client_version from sessions order by started_at`.execute(
        (store as KyselyStore).engine.db,
      );
      expect(rows.map((r) => [(Number(r.started_at) - T0) / HOUR, r.client_name, r.client_version])).toEqual([
        [0, 'cursor-vscode', '3'],
        [2, 'cursor-vscode', '3'],
        [4, 'cursor-vscode', '3'],
        [6, 'cursor-vscode', '4'],
        [8, 'cursor-vscode', '4'],
      ]);
    } finally {
      await store.close();
    }
  });
});
