import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationTargets } from '../../../test-support/migration-targets.js';
import { clientCallRowMismatches } from '../../../test-support/scan-aggregates.js';
import type { KyselyStore } from '../kysely/kysely-store.js';
import { migrate, openEngine, openStore } from '../open-store.js';

const targets = await migrationTargets('backfill');

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 20, 10);
/** Sessions and tool calls as 0007 stored them: labels on the sessions, not on every call. */
const SESSIONS = [
  { id: 'ses_a', client_name: 'claude-ai', client_version: '0.15.0' },
  { id: 'ses_b', client_name: 'goose', client_version: null },
  { id: 'ses_c', client_name: null, client_version: null },
];
const CALLS = [
  {
    id: 'e1',
    session_id: 'ses_a',
    ts: T0,
    target: 'search',
    protocol_version: '2026-07-28',
    is_error: 0,
    error_message: null,
    duration_ms: 12,
  },
  {
    id: 'e2',
    session_id: 'ses_a',
    ts: T0 + HOUR / 2,
    target: 'search',
    protocol_version: '2026-07-28',
    is_error: 1,
    error_message: 'MCP error -32602: Invalid arguments for tool search',
    duration_ms: 3,
  },
  {
    id: 'e3',
    session_id: 'ses_b',
    ts: T0 + 30 * HOUR,
    target: 'fetch',
    protocol_version: null,
    is_error: 1,
    error_message: 'boom',
    duration_ms: null,
  },
  {
    id: 'e4',
    session_id: 'ses_c',
    ts: T0 + 2 * HOUR,
    target: 'fetch',
    protocol_version: '2025-11-25',
    is_error: 0,
    error_message: null,
    duration_ms: 40,
  },
];

describe.each(targets)('migration 0008 on $name', ({ db: url }) => {
  it('fills rollup_client_calls from the stored calls and their sessions’ labels', async () => {
    const db = url();
    const engine = await openEngine({ db, sessionTimeoutMs: 60_000, readWorkers: 1 });
    try {
      await migrate(engine, '0007_session_filters');
      await sql`insert into projects (id, name, write_key_hash, read_key_hash, created_at)
        values ('p1', 'p', 'w', 'r', 0)`.execute(engine.db);
      for (const s of SESSIONS) {
        await sql`insert into sessions (id, project_id, kind, group_key, started_at, ended_at, first_event_id,
            event_count, error_count, client_name, client_version)
          values (${s.id}, 'p1', 'grouped', ${s.id}, ${T0}, ${T0}, 'e1', 1, 0, ${s.client_name}, ${s.client_version})
        `.execute(engine.db);
      }
      for (const c of CALLS) {
        await sql`insert into events (project_id, id, session_id, ts, duration_ms, method, target, protocol_version,
            is_error, error_message, received_at)
          values ('p1', ${c.id}, ${c.session_id}, ${c.ts}, ${c.duration_ms}, 'tools/call', ${c.target},
            ${c.protocol_version}, ${c.is_error}, ${c.error_message}, 0)`.execute(engine.db);
      }
    } finally {
      await engine.close();
    }

    const store = await openStore({ db, sessionTimeoutMs: 60_000 });
    try {
      expect(await clientCallRowMismatches((store as KyselyStore).engine.db, 'p1')).toEqual([]);
      const matrix = await store.clientMatrix('p1', { from: T0 - HOUR, to: T0 + 48 * HOUR });
      expect(
        matrix.rows.map((r) => [
          r.clientName,
          r.clientVersion,
          r.protocolVersion,
          r.calls,
          r.errors,
          r.invalidArguments,
        ]),
      ).toEqual([
        ['claude-ai', '0.15.0', '2026-07-28', 2, 1, 1],
        [null, null, '2025-11-25', 1, 0, 0],
        ['goose', null, null, 1, 1, 0],
      ]);
    } finally {
      await store.close();
    }
  });
});
