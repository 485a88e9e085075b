import { sql, type Kysely, type RawBuilder } from 'kysely';
import {
  clientMatrix,
  totalsOfCall,
  type ClientCallTotals,
  type ClientLatencyTotals,
  type ClientMatrix,
} from '../../rollups/client-matrix.js';
import { clusterFailures, type FailedEvent, type FailureClusters } from '../../insights/failure-clusters.js';
import { LatencySketch } from '../../rollups/latency-sketch.js';
import { splitRange } from '../../rollups/time-ranges.js';
import { inSpans } from './aggregate-queries.js';
import { CALL_COLUMNS, callFactsOfRow, labelOf } from './client-calls.js';
import { DURATION_BUCKETS_MS, REQUEST_BUCKETS, sessionShape, type SessionShape } from '../../insights/session-shape.js';
import type { Database } from '../schema.js';
import type { TimeRange } from '../store.js';
import { num } from './from-rows.js';

/**
 * The insights (docs/adr/0205-failure-clusters-and-client-matrix.md): each one
 * time-bounded, indexed read whose size is what the insight is about (the
 * range's failed events; the sessions that started in it), grouped by the pure
 * code in `insights/`.
 */
export class InsightQueries {
  constructor(private readonly db: () => Kysely<Database>) {}

  /**
   * The range's failed events, with their session's client label, clustered.
   * A seek on the partial index of failures by time (migration 0008): reads the
   * failures only, however many calls succeeded.
   */
  async failureClusters(projectId: string, range: TimeRange, limit: number): Promise<FailureClusters> {
    // In slices read side by side: on SQLite each slice runs on a read thread of its own.
    const slices = await Promise.all(
      timeSlices(range, FAILURE_SLICES).map((slice) => this.failedEvents(projectId, slice)),
    );
    return clusterFailures(slices.flat(), range, limit);
  }

  private async failedEvents(projectId: string, range: TimeRange): Promise<FailedEvent[]> {
    const rows = await this.db()
      .selectFrom('events')
      .innerJoin('sessions', 'sessions.id', 'events.session_id')
      .select([
        'events.id',
        'events.session_id',
        'events.ts',
        'events.method',
        'events.target',
        'events.user_id',
        'sessions.client_name',
        'events.error_type',
        'events.error_code',
        'events.error_message',
      ])
      .where('events.project_id', '=', projectId)
      // A literal: only then can the planner use the partial index (events_failing_time).
      .where('events.is_error', '=', sql.lit(1))
      .where('events.ts', '>=', range.from)
      .where('events.ts', '<=', range.to)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      sessionId: row.session_id,
      timestamp: num(row.ts),
      method: row.method,
      target: row.target,
      userId: row.user_id,
      clientName: row.client_name,
      errorType: row.error_type,
      errorCode: row.error_code,
      errorMessage: row.error_message,
    }));
  }

  /**
   * Tool calls in the range by their session's client label, version, protocol
   * version and tool: `rollup_client_calls` for whole hours and days (one
   * statement per span), and the calls of the partial hours at the ends with
   * their sessions' labels, as the rollup would count them.
   */
  async clientMatrix(projectId: string, range: TimeRange): Promise<ClientMatrix> {
    const parts = splitRange(range.from, range.to);
    const [counted, timed, edges] = await Promise.all([
      inSpans(parts, (span) =>
        this.db()
          .selectFrom('rollup_client_calls')
          .select([
            'client_name',
            'client_version',
            'protocol_version',
            'target',
            'calls',
            'errors',
            'invalid_arguments',
          ])
          .where('project_id', '=', projectId)
          .where(span)
          .execute(),
      ),
      inSpans(parts, (span) =>
        this.db()
          .selectFrom('rollup_client_latency')
          .select(['client_name', 'client_version', 'protocol_version', 'durations'])
          .where('project_id', '=', projectId)
          .where(span)
          .execute(),
      ),
      Promise.all(
        parts.events.map(([from, to]) =>
          this.db()
            .selectFrom('events')
            .innerJoin('sessions', 'sessions.id', 'events.session_id')
            .select([
              'sessions.client_name',
              'sessions.client_version',
              ...CALL_COLUMNS.map((c) => `events.${c}` as const),
            ])
            .where('events.project_id', '=', projectId)
            .where('events.ts', '>=', from)
            .where('events.ts', '<', to)
            .where('events.method', '=', 'tools/call')
            .where('events.target', 'is not', null)
            .execute(),
        ),
      ),
    ]);
    const totals: ClientCallTotals[] = counted.map((row) => ({
      client: row.client_name,
      version: row.client_version,
      protocol: row.protocol_version,
      target: row.target,
      calls: num(row.calls),
      errors: num(row.errors),
      invalidArguments: num(row.invalid_arguments),
    }));
    const latencies: ClientLatencyTotals[] = timed.map((row) => ({
      client: row.client_name,
      version: row.client_version,
      protocol: row.protocol_version,
      durations: LatencySketch.decode(row.durations),
    }));
    for (const row of edges.flat()) {
      const call = totalsOfCall(
        labelOf({ clientName: row.client_name, clientVersion: row.client_version }),
        callFactsOfRow(row),
      );
      totals.push(call.totals);
      latencies.push(call.latency);
    }
    return clientMatrix(totals, latencies);
  }

  /**
   * Sessions that started in the range, counted in SQL per (client, anonymous or not, requests bucket, duration
   * bucket).
   */
  async sessionShape(projectId: string, range: TimeRange): Promise<SessionShape> {
    const rows = await this.db()
      .selectFrom('sessions')
      .select((eb) => [
        'client_name',
        eb.case().when('kind', '=', sql.lit('anonymous')).then(sql.lit(1)).else(sql.lit(0)).end().as('anonymous'),
        bucketOf(sql`event_count`, REQUEST_BUCKETS).as('request_bucket'),
        bucketOf(sql`ended_at - started_at`, DURATION_BUCKETS_MS).as('duration_bucket'),
        eb.fn.countAll<number>().as('sessions'),
      ])
      .where('project_id', '=', projectId)
      .where('started_at', '>=', range.from)
      .where('started_at', '<=', range.to)
      .groupBy(['client_name', 'anonymous', 'request_bucket', 'duration_bucket'])
      .execute();
    const anonymous = rows.filter((row) => num(row.anonymous) === 1).reduce((n, row) => n + num(row.sessions), 0);
    return sessionShape(
      rows
        .filter((row) => num(row.anonymous) === 0)
        .map((row) => ({
          clientName: row.client_name,
          requestBucket: num(row.request_bucket),
          durationBucket: num(row.duration_bucket),
          sessions: num(row.sessions),
        })),
      anonymous,
    );
  }
}

/**
 * Slices a failures query is read in: as many as the read threads usually are (`--read-workers`, default 2), and two
 * more to even out.
 */
const FAILURE_SLICES = 4;

/** `range` cut into `count` inclusive slices that cover it exactly once (fewer when it is shorter than `count` ms). */
export function timeSlices(range: TimeRange, count: number): TimeRange[] {
  const size = Math.ceil((range.to - range.from + 1) / count);
  const slices: TimeRange[] = [];
  for (let from = range.from; from <= range.to; from += size)
    slices.push({ from, to: Math.min(range.to, from + size - 1) });
  return slices;
}

/** The bucket of `value` among `bounds` (insights/session-shape.ts's `bucketIndex`), in SQL. */
function bucketOf(value: RawBuilder<unknown>, bounds: readonly number[]): RawBuilder<number> {
  const steps = bounds.slice(1).map((bound, index) => sql`when ${value} < ${sql.lit(bound)} then ${sql.lit(index)}`);
  return sql<number>`case ${sql.join(steps, sql` `)} else ${sql.lit(bounds.length - 1)} end`;
}
