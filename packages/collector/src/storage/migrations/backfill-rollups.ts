import type { Kysely, Transaction } from 'kysely';
import { rollupDeltas } from '../../rollups/rollup-deltas.js';
import { applyRollups } from '../kysely/rollup-writes.js';
import type { Database } from '../schema.js';

const CHUNK = 10_000;

/**
 * Migration 0005 fills the rollups from what is already stored, in chunks
 * (keyset paging on the primary keys), with the code ingest uses. It runs under
 * the migration lock; events that an older instance stores meanwhile are not in
 * the rollups (docs/scaling.md: upgrade every instance together).
 */
export async function backfillRollups(untyped: Kysely<unknown>): Promise<void> {
  // Kysely's migrator runs each migration in a transaction, and hands it over as `db`.
  const db = untyped as unknown as Transaction<Database>;
  const writer = { maxParameters: 30_000, lockName: async () => {} };
  for (const { id: projectId } of await db.selectFrom('projects').select('id').execute()) {
    for (let after = ''; ; ) {
      const events = await db
        .selectFrom('events')
        .select(['id', 'ts', 'method', 'target', 'is_error', 'duration_ms', 'user_id'])
        .where('project_id', '=', projectId)
        .where('id', '>', after)
        .orderBy('id')
        .limit(CHUNK)
        .execute();
      if (events.length === 0) break;
      after = events.at(-1)!.id;
      const facts = events.map((e) => ({
        timestamp: Number(e.ts),
        method: e.method,
        target: e.target,
        isError: Number(e.is_error) === 1,
        durationMs: e.duration_ms === null ? null : Number(e.duration_ms),
        userId: e.user_id,
      }));
      await applyRollups(db, writer, projectId, rollupDeltas(facts, [], []));
    }
    for (let after = ''; ; ) {
      const sessions = await db
        .selectFrom('sessions')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '>', after)
        .orderBy('id')
        .limit(CHUNK)
        .execute();
      if (sessions.length === 0) break;
      after = sessions.at(-1)!.id;
      const added = sessions.map((s) => ({
        kind: s.kind,
        startedAt: Number(s.started_at),
        endedAt: Number(s.ended_at),
        eventCount: Number(s.event_count),
        errorCount: Number(s.error_count),
        userId: s.user_id,
        userName: s.user_name,
        clientName: s.client_name,
      }));
      await applyRollups(db, writer, projectId, rollupDeltas([], [], added));
    }
  }
}
