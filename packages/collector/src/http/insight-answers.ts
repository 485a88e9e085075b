import type { ClientsResponse, FailuresResponse, SessionShapeResponse } from '@mcptrail/protocol';
import type { ClientMatrix, FailureClusters, SessionShape, TimeRange } from '../storage/store.js';
import { iso } from './answers.js';

/** The insights' records shaped into the API's answers (docs/api.md, "Insights"): RFC 3339 times, bucket lists. */

export const failuresAnswer = (range: TimeRange, record: FailureClusters): FailuresResponse => ({
  from: iso(range.from),
  to: iso(range.to),
  bucketMs: record.bucketMs,
  trendStart: iso(record.trendStart),
  failures: record.failures,
  byClass: record.byClass,
  clusterCount: record.clusterCount,
  clusters: record.clusters.map(({ failureClass, firstSeen, lastSeen, examples, ...cluster }) => ({
    class: failureClass,
    ...cluster,
    firstSeen: iso(firstSeen),
    lastSeen: iso(lastSeen),
    examples: examples.map((e) => ({ ...e, timestamp: iso(e.timestamp) })),
  })),
});

/** Each bucket from its lower bound to the next one's (null: no upper end). */
const spans = (bounds: readonly number[]) => bounds.map((min, i) => ({ min, next: bounds[i + 1] ?? null }));

export const sessionShapeAnswer = (
  range: TimeRange,
  { requestBounds, durationBoundsMs, ...shape }: SessionShape,
): SessionShapeResponse => ({
  from: iso(range.from),
  to: iso(range.to),
  requestBuckets: spans(requestBounds).map(({ min, next }) => ({ min, max: next === null ? null : next - 1 })),
  durationBuckets: spans(durationBoundsMs).map(({ min, next }) => ({ minMs: min, maxMs: next })),
  ...shape,
});

export const clientsAnswer = (range: TimeRange, matrix: ClientMatrix): ClientsResponse => ({
  from: iso(range.from),
  to: iso(range.to),
  ...matrix,
});
