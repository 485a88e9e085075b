/**
 * How long and how deep sessions are: histograms of requests per session and of
 * session duration, per client. The buckets are fixed (docs/api.md), so that
 * ranges and clients compare; the store counts sessions per bucket in SQL with
 * these same bounds, and the answer is built here. Pure.
 */

/** Lower bounds of the requests-per-session buckets: 1, 2, 3–5, 6–10, 11–20, 21–50, 51–100, 101 and more. */
export const REQUEST_BUCKETS: readonly number[] = [1, 2, 3, 6, 11, 21, 51, 101];
/**
 * Lower bounds of the duration buckets, ms: under 1 s, 1 s–1 min, 1–5 min, 5–15 min, 15–30 min, 30 min–1 h, 1–4 h, 4 h
 * and more.
 */
export const DURATION_BUCKETS_MS: readonly number[] = [
  0, 1_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000, 14_400_000,
];

/**
 * The bucket a value falls in: the last whose lower bound it reaches (values under the first bound go to the first).
 */
export function bucketIndex(bounds: readonly number[], value: number): number {
  let index = 0;
  while (index + 1 < bounds.length && value >= bounds[index + 1]!) index++;
  return index;
}

/** Sessions counted per (client, requests bucket, duration bucket). */
export interface ShapeCount {
  clientName: string | null;
  requestBucket: number;
  durationBucket: number;
  sessions: number;
}

export interface ShapeHistogram {
  clientName: string | null;
  sessions: number;
  /** Sessions per requests bucket, in REQUEST_BUCKETS order. */
  requests: number[];
  /** Sessions per duration bucket, in DURATION_BUCKETS_MS order. */
  durations: number[];
}

export interface SessionShape {
  /** The buckets' lower bounds (REQUEST_BUCKETS, DURATION_BUCKETS_MS). */
  requestBounds: readonly number[];
  durationBoundsMs: readonly number[];
  /**
   * Anonymous sessions (one request each) in the range, left out of the histograms: they would bury the rest in the
   * first bucket.
   */
  anonymousSessions: number;
  all: ShapeHistogram;
  /** By sessions, most first. */
  clients: ShapeHistogram[];
}

/** `counts` of the non-anonymous sessions, and how many anonymous ones there were. */
export function sessionShape(counts: Iterable<ShapeCount>, anonymousSessions: number): SessionShape {
  const empty = (clientName: string | null): ShapeHistogram => ({
    clientName,
    sessions: 0,
    requests: REQUEST_BUCKETS.map(() => 0),
    durations: DURATION_BUCKETS_MS.map(() => 0),
  });
  const all = empty(null);
  const clients = new Map<string | null, ShapeHistogram>();
  for (const count of counts) {
    let client = clients.get(count.clientName);
    if (!client) clients.set(count.clientName, (client = empty(count.clientName)));
    for (const histogram of [all, client]) {
      histogram.sessions += count.sessions;
      histogram.requests[count.requestBucket]! += count.sessions;
      histogram.durations[count.durationBucket]! += count.sessions;
    }
  }
  return {
    requestBounds: REQUEST_BUCKETS,
    durationBoundsMs: DURATION_BUCKETS_MS,
    anonymousSessions,
    all,
    clients: [...clients.values()].sort(
      (a, b) => b.sessions - a.sessions || ((a.clientName ?? '') < (b.clientName ?? '') ? -1 : 1),
    ),
  };
}
