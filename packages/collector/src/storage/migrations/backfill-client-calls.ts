import type { Kysely } from 'kysely';
import { clientCallDeltas } from '../../rollups/client-call-deltas.js';
import { applyClientCalls } from '../kysely/client-call-writes.js';
import { CALL_COLUMNS, callFactsOfRow, labelOf } from '../kysely/client-calls.js';
import { backfillEachProject, inChunks } from './backfill.js';

/**
 * Migration 0008 fills `rollup_client_calls` from the stored tool calls and
 * their sessions' labels, in chunks (keyset paging on the events' key), with
 * the code ingest uses; as 0005's backfill, under the migration lock.
 */
export function backfillClientCalls(untyped: Kysely<unknown>): Promise<void> {
  return backfillEachProject(untyped, (db, writer, projectId) =>
    inChunks(
      (after, limit) =>
        db
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
          .limit(limit)
          .execute(),
      (rows) => {
        const changes = rows.map((row) => ({
          call: callFactsOfRow(row),
          label: labelOf({ clientName: row.client_name, clientVersion: row.client_version }),
          sign: 1 as const,
        }));
        return applyClientCalls(db, writer, projectId, clientCallDeltas(changes));
      },
    ),
  );
}
