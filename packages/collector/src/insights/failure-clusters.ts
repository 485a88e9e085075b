/**
 * Failed requests grouped into clusters: one per (class, method, tool, code,
 * normalised message), with when, who and how often. Pure: the store reads the
 * failed events of a range (with their session's client label) and hands them here.
 */
import type { FailureClusterView } from '@mcptrail/protocol';
import { classifyFailure, FAILURE_CLASSES, type FailureClass, type FailureKind } from './failure-class.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Ranges up to two days get hourly trends; longer ones daily. */
const HOURLY_UP_TO = 2 * DAY;
const EXAMPLES = 5;
/** The raw message shown beside the pattern is cut here; the event itself has it whole. */
export const MAX_SAMPLE_LENGTH = 1024;
/**
 * Methods whose target names a tool or prompt: a cluster per name. Other targets (resource URIs) are masked in messages
 * instead.
 */
const NAMED_TARGETS = new Set(['tools/call', 'prompts/get']);

export interface FailedEvent {
  id: string;
  sessionId: string;
  timestamp: number;
  method: string;
  target: string | null;
  userId: string | null;
  /** The session's client label (docs/adr/0104), not the event's own. */
  clientName: string | null;
  errorType: string | null;
  errorCode: string | null;
  errorMessage: string | null;
}

/** A cluster as the API answers it (`FailureClusterView`), but for its times, in epoch ms, and its class's name. */
export type FailureCluster = Omit<FailureClusterView, 'class' | 'firstSeen' | 'lastSeen' | 'examples'> & {
  failureClass: FailureClass;
  firstSeen: number;
  lastSeen: number;
  examples: (Omit<FailureClusterView['examples'][number], 'timestamp'> & { timestamp: number })[];
};

export interface FailureClusters {
  bucketMs: number;
  trendStart: number;
  failures: number;
  byClass: Record<FailureClass, number>;
  /** Clusters in the range, before `limit`. */
  clusterCount: number;
  clusters: FailureCluster[];
}

export function trendBuckets(range: { from: number; to: number }): {
  bucketMs: number;
  trendStart: number;
  length: number;
} {
  const bucketMs = range.to - range.from <= HOURLY_UP_TO ? HOUR : DAY;
  const first = Math.floor(range.from / bucketMs);
  return { bucketMs, trendStart: first * bucketMs, length: Math.floor(range.to / bucketMs) - first + 1 };
}

interface Building extends FailureCluster {
  userIds: Set<string>;
  clientCounts: Map<string | null, number>;
  exampleSessions: Set<string>;
}

/** `events` in any order; clusters by count (then newest), at most `limit`. */
export function clusterFailures(
  events: Iterable<FailedEvent>,
  range: { from: number; to: number },
  limit: number,
): FailureClusters {
  const { bucketMs, trendStart, length } = trendBuckets(range);
  const byClass = Object.fromEntries(FAILURE_CLASSES.map((c) => [c, 0])) as Record<FailureClass, number>;
  const clusters = new Map<string, Building>();
  let failures = 0;
  // Newest first, so the first seen of a cluster gives its sample and its examples.
  const sorted = [...events].sort((a, b) => b.timestamp - a.timestamp || (a.id < b.id ? 1 : -1));
  // Failures repeat their messages: each distinct one is classified and normalised once.
  const kinds = new Map<string, FailureKind>();
  for (const event of sorted) {
    const facts = [event.method, event.errorType ?? '', event.errorCode ?? '', event.errorMessage ?? ''].join('\u0000');
    let kind = kinds.get(facts);
    if (!kind) kinds.set(facts, (kind = classifyFailure(event)));
    const tool = NAMED_TARGETS.has(event.method) ? event.target : null;
    // NUL never occurs in stored text (the protocol refuses it): an unambiguous separator.
    const key = [kind.failureClass, event.method, tool ?? '', kind.code ?? '', kind.pattern].join('\u0000');
    let cluster = clusters.get(key);
    if (!cluster) {
      const message = event.errorMessage ?? '';
      cluster = {
        failureClass: kind.failureClass,
        method: event.method,
        tool,
        code: kind.code,
        pattern: kind.pattern,
        sampleMessage: message.length > MAX_SAMPLE_LENGTH ? `${message.slice(0, MAX_SAMPLE_LENGTH - 1)}…` : message,
        errorType: event.errorType,
        count: 0,
        firstSeen: event.timestamp,
        lastSeen: event.timestamp,
        users: 0,
        clients: [],
        trend: Array<number>(length).fill(0),
        examples: [],
        userIds: new Set(),
        clientCounts: new Map(),
        exampleSessions: new Set(),
      };
      clusters.set(key, cluster);
    }
    failures++;
    byClass[kind.failureClass]++;
    cluster.count++;
    cluster.firstSeen = event.timestamp;
    if (event.userId !== null) cluster.userIds.add(event.userId);
    cluster.clientCounts.set(event.clientName, (cluster.clientCounts.get(event.clientName) ?? 0) + 1);
    const bucket = Math.floor(event.timestamp / bucketMs) - trendStart / bucketMs;
    if (bucket >= 0 && bucket < length) cluster.trend[bucket]!++;
    if (cluster.examples.length < EXAMPLES && !cluster.exampleSessions.has(event.sessionId)) {
      cluster.exampleSessions.add(event.sessionId);
      cluster.examples.push({ eventId: event.id, sessionId: event.sessionId, timestamp: event.timestamp });
    }
  }
  const ranked = [...clusters.values()].sort(
    (a, b) => b.count - a.count || b.lastSeen - a.lastSeen || (a.pattern < b.pattern ? -1 : 1),
  );
  return {
    bucketMs,
    trendStart,
    failures,
    byClass,
    clusterCount: ranked.length,
    clusters: ranked.slice(0, limit).map(({ userIds, clientCounts, exampleSessions, ...cluster }) => ({
      ...cluster,
      users: userIds.size,
      clients: [...clientCounts]
        .map(([name, count]) => ({ name, count }))
        .sort((a, b) => b.count - a.count || ((a.name ?? '') < (b.name ?? '') ? -1 : 1)),
    })),
  };
}
