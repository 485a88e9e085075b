import type { Kysely } from 'kysely';
import { rollupDeltas } from '../../rollups/rollup-deltas.js';
import { toRollupEvent, toRollupSession } from '../kysely/from-rows.js';
import { applyRollups } from '../kysely/rollup-writes.js';
import { backfillEachProject, inChunks } from './backfill.js';

/**
 * Migration 0005 fills the rollups from what is already stored, in chunks
 * (keyset paging on the primary keys), with the code ingest uses. It runs under
 * the migration lock; events that an older instance stores meanwhile are not in
 * the rollups (docs/scaling.md: upgrade every instance together).
 */
export function backfillRollups(untyped: Kysely<unknown>): Promise<void> {
  return backfillEachProject(untyped, async (db, writer, projectId) => {
    await inChunks(
      (after, limit) =>
        db
          .selectFrom('events')
          .select(['id', 'ts', 'method', 'target', 'is_error', 'duration_ms', 'user_id'])
          .where('project_id', '=', projectId)
          .where('id', '>', after)
          .orderBy('id')
          .limit(limit)
          .execute(),
      (events) => applyRollups(db, writer, projectId, rollupDeltas(events.map(toRollupEvent), [], [])),
    );
    await inChunks(
      (after, limit) =>
        db
          .selectFrom('sessions')
          .selectAll()
          .where('project_id', '=', projectId)
          .where('id', '>', after)
          .orderBy('id')
          .limit(limit)
          .execute(),
      (sessions) => applyRollups(db, writer, projectId, rollupDeltas([], [], sessions.map(toRollupSession))),
    );
  });
}
