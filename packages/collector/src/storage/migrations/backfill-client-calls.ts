import type { Kysely, Transaction } from 'kysely';
import { clientCallDeltas } from '../../rollups/client-call-deltas.js';
import { applyClientCalls } from '../kysely/client-call-writes.js';
import { CALL_COLUMNS, callFactsOfRow, labelOf } from '../kysely/client-calls.js';
import type { Database } from '../schema.js';

const CHUNK = 10_000;

/**
 * Migration 0008 fills `rollup_client_calls` from the stored tool calls and
 * their sessions' labels, in chunks (keyset paging on the events' key), with
 * the code ingest uses; as 0005's backfill, under the migration lock.
 */
export async function backfillClientCalls(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as unknown as Transaction<Database>;
  const writer = { maxParameters: 30_000, lockName: async () => {} };
  for (const { id: projectId } of await db.selectFrom('projects').select('id').execute()) {
    for (let after = ''; ; ) {
      const rows = await db
        .selectFrom('events')
        .innerJoin('sessions', 'sessions.id', 'events.session_id')
        .select([
          'events.id',
          'sessions.client_name',
          'sessions.client_version',
          ...CALL_COLUMNS.map((c) => `events.${c}` as const),
        ])
        .where('events.project_id', '=', projectId)
        .where('events.id', '>', after)
        .where('events.method', '=', 'tools/call')
        .where('events.target', 'is not', null)
        .orderBy('events.id')
        .limit(CHUNK)
        .execute();
      if (rows.length === 0) break;
      after = rows.at(-1)!.id;
      const changes = rows.map((row) => ({
        call: callFactsOfRow(row),
        label: labelOf({ clientName: row.client_name, clientVersion: row.client_version }),
        sign: 1 as const,
      }));
      await applyClientCalls(db, writer, projectId, clientCallDeltas(changes));
    }
  }
}
