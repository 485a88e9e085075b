import type { Transaction } from 'kysely';
import type { ClientCallsDelta, ClientLatencyDelta } from '../../rollups/client-call-deltas.js';
import { LatencySketch } from '../../rollups/latency-sketch.js';
import { keyOf, type Grain } from '../../rollups/rollup-deltas.js';
import type { Database } from '../schema.js';
import { addCounts, byKey, insertInChunks, lockedSketches, type RollupWriter } from './rollup-writes.js';

/** Where a client-call delta counts: its bucket and client label. */
type LabelledBucket = { grain: Grain; bucket: number; client: string; version: string; protocol: string };

const latencyKey = (d: LabelledBucket) => keyOf(d.grain, d.bucket, d.client, d.version, d.protocol);

/** The key columns both tables share, of a project's delta. */
const labelColumns = (projectId: string, d: LabelledBucket) => ({
  project_id: projectId,
  grain: d.grain,
  bucket: d.bucket,
  client_name: d.client,
  client_version: d.version,
  protocol_version: d.protocol,
});

/**
 * Writes one transaction's client-call deltas (rollups/client-call-deltas.ts) in
 * the ingest transaction, as `rollup-writes.ts` writes the calls: counts added
 * in SQL; latency sketches read, merged (moves take durations out) and written
 * back under the project's rollup lock. Rows in key order.
 */
export async function applyClientCalls(
  trx: Transaction<Database>,
  engine: RollupWriter,
  projectId: string,
  deltas: { calls: readonly ClientCallsDelta[]; latency: readonly ClientLatencyDelta[] },
): Promise<void> {
  await addCounts(
    trx,
    engine,
    'rollup_client_calls',
    ['project_id', 'grain', 'bucket', 'client_name', 'client_version', 'protocol_version', 'target'],
    ['calls', 'errors', 'invalid_arguments'],
    deltas.calls.map((d) => ({
      ...labelColumns(projectId, d),
      target: d.target,
      calls: d.calls,
      errors: d.errors,
      invalid_arguments: d.invalidArguments,
    })),
  );
  if (deltas.latency.length === 0) return;
  const stored = await lockedSketches(trx, engine, projectId, deltas.latency, async (grain, buckets) => {
    const rows = await trx
      .selectFrom('rollup_client_latency')
      .select(['bucket', 'client_name', 'client_version', 'protocol_version', 'durations'])
      .where('project_id', '=', projectId)
      .where('grain', '=', grain)
      .where('bucket', 'in', buckets)
      .execute();
    return rows.map((row) => [
      latencyKey({
        grain,
        bucket: Number(row.bucket),
        client: row.client_name,
        version: row.client_version,
        protocol: row.protocol_version,
      }),
      row.durations,
    ]);
  });
  const sketches = byKey(deltas.latency, latencyKey).map((d) => ({
    ...labelColumns(projectId, d),
    durations: LatencySketch.decode(stored.get(latencyKey(d)))
      .merge(d.durations)
      .encode(),
  }));
  await insertInChunks(engine, sketches, 7, (chunk) =>
    trx
      .insertInto('rollup_client_latency')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(['project_id', 'grain', 'bucket', 'client_name', 'client_version', 'protocol_version'])
          .doUpdateSet((eb) => ({ durations: eb.ref('excluded.durations') })),
      )
      .execute(),
  );
}
