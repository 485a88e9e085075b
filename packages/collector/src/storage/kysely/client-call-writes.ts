import type { Transaction } from 'kysely';
import type { ClientCallsDelta } from '../../rollups/client-call-deltas.js';
import { LatencySketch } from '../../rollups/latency-sketch.js';
import { keyOf } from '../../rollups/rollup-deltas.js';
import type { Database } from '../schema.js';
import { insertInChunks, lockedSketches, type RollupWriter } from './rollup-writes.js';

const keyOfRow = (d: {
  grain: string;
  bucket: number;
  client: string;
  version: string;
  protocol: string;
  target: string;
}) => keyOf(d.grain, d.bucket, d.client, d.version, d.protocol, d.target);

/**
 * Writes one transaction's client-call deltas (rollups/client-call-deltas.ts) in
 * the ingest transaction, as `rollup-writes.ts` writes the calls: counts added
 * in SQL, sketches read, merged (moves take durations out) and written back
 * under the project's rollup lock, rows in key order.
 */
export async function applyClientCalls(
  trx: Transaction<Database>,
  engine: RollupWriter,
  projectId: string,
  deltas: readonly ClientCallsDelta[],
): Promise<void> {
  if (deltas.length === 0) return;
  const stored = await lockedSketches(trx, engine, projectId, deltas, async (grain, buckets) => {
    const rows = await trx
      .selectFrom('rollup_client_calls')
      .select(['bucket', 'client_name', 'client_version', 'protocol_version', 'target', 'durations'])
      .where('project_id', '=', projectId)
      .where('grain', '=', grain)
      .where('bucket', 'in', buckets)
      .execute();
    return rows.map((row) => [
      keyOfRow({
        grain,
        bucket: Number(row.bucket),
        client: row.client_name,
        version: row.client_version,
        protocol: row.protocol_version,
        target: row.target,
      }),
      row.durations,
    ]);
  });
  const rows = deltas
    .map((d) => ({
      key: keyOfRow(d),
      row: {
        project_id: projectId,
        grain: d.grain,
        bucket: d.bucket,
        client_name: d.client,
        client_version: d.version,
        protocol_version: d.protocol,
        target: d.target,
        calls: d.calls,
        errors: d.errors,
        invalid_arguments: d.invalidArguments,
        durations: LatencySketch.decode(stored.get(keyOfRow(d)))
          .merge(d.durations)
          .encode(),
      },
    }))
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map(({ row }) => row);
  await insertInChunks(engine, rows, 11, (chunk) =>
    trx
      .insertInto('rollup_client_calls')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(['project_id', 'grain', 'bucket', 'client_name', 'client_version', 'protocol_version', 'target'])
          .doUpdateSet((eb) => ({
            calls: eb('rollup_client_calls.calls', '+', eb.ref('excluded.calls')),
            errors: eb('rollup_client_calls.errors', '+', eb.ref('excluded.errors')),
            invalid_arguments: eb('rollup_client_calls.invalid_arguments', '+', eb.ref('excluded.invalid_arguments')),
            durations: eb.ref('excluded.durations'),
          })),
      )
      .execute(),
  );
}
