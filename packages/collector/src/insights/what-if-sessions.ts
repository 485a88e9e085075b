import type { SessionKind } from '@mcptrail/protocol';
import { splitsSession } from '../sessionizer/index.js';

/**
 * A stored session's requests within the range (sessions of anonymous requests are only counted: one request each under
 * any timeout).
 */
export interface StoredSessionTimes {
  kind: Exclude<SessionKind, 'anonymous'>;
  /** Its session key (`sessionKeyOf`, stored with the session): sessions of one key may join or split. */
  key: string;
  /** Start times of its requests in the range, any order. */
  times: number[];
}

/** Where a histogram bucket starts (inclusive) and ends (exclusive; null: no end). */
export interface HistogramBucket {
  from: number;
  to: number | null;
  sessions: number;
}

export interface LengthDistribution {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  histogram: HistogramBucket[];
}

export interface SessionShape {
  sessions: number;
  byKind: Record<SessionKind, number>;
  /** Requests per session, over the sessions that are not anonymous (one request each at every timeout). */
  calls: LengthDistribution;
  /** Time from first to last request, same sessions. */
  durationMs: LengthDistribution;
}

export interface WhatIf {
  stored: SessionShape;
  timeouts: (SessionShape & { timeoutMs: number })[];
}

const MIN = 60_000;
const CALL_BUCKETS = [1, 2, 3, 6, 11, 21, 51, 101];
const DURATION_BUCKETS = [0, 1, MIN, 5 * MIN, 15 * MIN, 30 * MIN, 60 * MIN, 120 * MIN, 360 * MIN];

/**
 * Sessions of the range's requests as they are stored, and as the sessionizer
 * would group them with each of `timeoutsMs` (docs/adr/0206): requests of one
 * key in time order, a new session wherever `splitsSession` says so; and
 * `anonymous` requests, a session each. Nothing is stored; the input is only read.
 */
export function whatIfSessions(
  stored: readonly StoredSessionTimes[],
  anonymous: number,
  timeoutsMs: readonly number[],
): WhatIf {
  const storedLengths = new ShapeBuilder(anonymous);
  const byKey = new Map<string, { kind: StoredSessionTimes['kind']; times: number[] }>();
  for (const session of stored) {
    if (session.times.length === 0) continue;
    let min = Infinity;
    let max = -Infinity;
    for (const t of session.times) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
    storedLengths.add(session.kind, session.times.length, max - min);
    const timeline = byKey.get(session.key);
    if (!timeline) byKey.set(session.key, { kind: session.kind, times: [...session.times] });
    // One at a time: a long transport session's requests are too many for the arguments of one call.
    else for (const t of session.times) timeline.times.push(t);
  }
  for (const timeline of byKey.values()) timeline.times.sort((a, b) => a - b);
  return {
    stored: storedLengths.shape(),
    timeouts: timeoutsMs.map((timeoutMs) => {
      const regrouped = new ShapeBuilder(anonymous);
      for (const { kind, times } of byKey.values()) {
        let first = 0;
        for (let i = 1; i <= times.length; i++) {
          if (i === times.length || splitsSession(kind, times[i]! - times[i - 1]!, timeoutMs)) {
            regrouped.add(kind, i - first, times[i - 1]! - times[first]!);
            first = i;
          }
        }
      }
      return { timeoutMs, ...regrouped.shape() };
    }),
  };
}

class ShapeBuilder {
  private readonly byKind: Record<SessionKind, number>;
  private readonly calls: number[] = [];
  private readonly durations: number[] = [];

  constructor(anonymous: number) {
    this.byKind = { stateful: 0, conversation: 0, grouped: 0, anonymous };
  }

  add(kind: StoredSessionTimes['kind'], calls: number, durationMs: number): void {
    this.byKind[kind]++;
    this.calls.push(calls);
    this.durations.push(durationMs);
  }

  shape(): SessionShape {
    const sessions = Object.values(this.byKind).reduce((a, b) => a + b, 0);
    return {
      sessions,
      byKind: this.byKind,
      calls: distribution(this.calls, CALL_BUCKETS),
      durationMs: distribution(this.durations, DURATION_BUCKETS),
    };
  }
}

/** Nearest-rank percentiles and a histogram over `bounds` (each a bucket's inclusive start). */
export function distribution(values: number[], bounds: readonly number[]): LengthDistribution {
  const sorted = Float64Array.from(values).sort();
  const rank = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!);
  const histogram = bounds.map((from, i) => ({ from, to: bounds[i + 1] ?? null, sessions: 0 }));
  let sum = 0;
  let bucket = 0;
  for (const value of sorted) {
    sum += value;
    while (bucket + 1 < bounds.length && value >= bounds[bucket + 1]!) bucket++;
    histogram[bucket]!.sessions++;
  }
  return {
    p50: rank(0.5),
    p90: rank(0.9),
    p99: rank(0.99),
    max: sorted.length === 0 ? 0 : sorted[sorted.length - 1]!,
    mean: sorted.length === 0 ? 0 : sum / sorted.length,
    histogram,
  };
}
