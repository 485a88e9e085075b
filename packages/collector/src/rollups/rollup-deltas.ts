import type { SessionKind } from '@mcptrail/protocol';
import { LatencySketch } from './latency-sketch.js';
import { dayOf, hourOf } from './time-ranges.js';

/**
 * What one ingest transaction changes in the rollups, computed without I/O
 * from the events it stores and the sessions it replaces and writes (ADR 0204).
 * Event rollups only grow (events are immutable, duplicates never reach here);
 * session rollups move by (new − old), so a merge, a rename or a relabel leaves
 * them as if the final sessions had been counted once.
 */

export type Grain = 'hour' | 'day';
export const GRAINS: readonly Grain[] = ['hour', 'day'];
const bucketOf = (grain: Grain, t: number) => (grain === 'hour' ? hourOf(t) : dayOf(t));

/** What an event contributes: its own immutable facts. */
export interface RollupEvent {
  timestamp: number;
  method: string;
  target: string | null;
  isError: boolean;
  durationMs: number | null;
  userId: string | null;
}

/** What a session contributes, in the state it had (removed) or has now (added). */
export interface RollupSession {
  kind: SessionKind;
  startedAt: number;
  endedAt: number;
  eventCount: number;
  errorCount: number;
  userId: string | null;
  userName: string | null;
  clientName: string | null;
}

/** Methods whose target is a small set of names worth a row each; other targets (resource URIs) are not kept apart. */
const NAMED_TARGETS = new Set(['tools/call', 'prompts/get']);
export const rollupTarget = (method: string, target: string | null): string =>
  NAMED_TARGETS.has(method) && target !== null ? target : '';
/** Rollup keys are never null: "no client" is the empty name. */
export const clientKey = (name: string | null): string => name ?? '';

export interface CallsDelta {
  grain: Grain;
  bucket: number;
  method: string;
  target: string;
  calls: number;
  errors: number;
  lastTs: number;
  durations: LatencySketch;
}

export interface RollupDeltas {
  calls: CallsDelta[];
  /** (grain, bucket, user) pairs seen in the events: presence, never removed. */
  activeUsers: { grain: Grain; bucket: number; userId: string }[];
  sessionStarts: {
    grain: Grain;
    bucket: number;
    client: string;
    kind: SessionKind;
    sessions: number;
    events: number;
  }[];
  clientUsers: { grain: Grain; bucket: number; client: string; userId: string; sessions: number }[];
  users: {
    userId: string;
    sessions: number;
    events: number;
    errors: number;
    firstSeen: number | null;
    lastSeen: number | null;
    name: string | null;
    nameAt: number | null;
  }[];
  userClients: { userId: string; client: string; sessions: number }[];
  /**
   * Users who lost a session's label to another user: their first and last seen must be read again from their sessions.
   */
  recount: readonly string[];
}

/**
 * A map key of several parts: stored text never holds NUL (the protocol refuses it), so NUL separates them
 * unambiguously.
 */
export const keyOf = (...parts: readonly (string | number)[]): string => parts.join('\u0000');

/** Adds into `map[key]` with `make` for a first sight; returns the entry. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}

/**
 * `recount`: the users whose sessions moved to another user's label (the store
 * knows which session replaced which); counts move by deltas, but a first or
 * last seen that came from the moved session can only be read again.
 */
export function rollupDeltas(
  events: readonly RollupEvent[],
  removed: readonly RollupSession[],
  added: readonly RollupSession[],
  recount: readonly string[] = [],
): RollupDeltas {
  const calls = new Map<string, CallsDelta>();
  const activeUsers = new Map<string, RollupDeltas['activeUsers'][number]>();
  for (const event of events) {
    const target = rollupTarget(event.method, event.target);
    for (const grain of GRAINS) {
      const bucket = bucketOf(grain, event.timestamp);
      const row = entry(calls, keyOf(grain, bucket, event.method, target), () => ({
        grain,
        bucket,
        method: event.method,
        target,
        calls: 0,
        errors: 0,
        lastTs: event.timestamp,
        durations: new LatencySketch(),
      }));
      row.calls++;
      if (event.isError) row.errors++;
      row.lastTs = Math.max(row.lastTs, event.timestamp);
      if (event.durationMs !== null) row.durations.add(event.durationMs);
      if (event.userId !== null) {
        entry(activeUsers, keyOf(grain, bucket, event.userId), () => ({ grain, bucket, userId: event.userId! }));
      }
    }
  }

  const starts = new Map<string, RollupDeltas['sessionStarts'][number]>();
  const clientUsers = new Map<string, RollupDeltas['clientUsers'][number]>();
  const users = new Map<string, RollupDeltas['users'][number]>();
  const userClients = new Map<string, RollupDeltas['userClients'][number]>();
  const count = (session: RollupSession, sign: 1 | -1) => {
    const client = clientKey(session.clientName);
    for (const grain of GRAINS) {
      const bucket = bucketOf(grain, session.startedAt);
      const start = entry(starts, keyOf(grain, bucket, client, session.kind), () => ({
        grain,
        bucket,
        client,
        kind: session.kind,
        sessions: 0,
        events: 0,
      }));
      start.sessions += sign;
      start.events += sign * session.eventCount;
      if (session.userId !== null) {
        entry(clientUsers, keyOf(grain, bucket, client, session.userId), () => ({
          grain,
          bucket,
          client,
          userId: session.userId!,
          sessions: 0,
        })).sessions += sign;
      }
    }
    if (session.userId === null) return;
    const user = entry(users, session.userId, () => ({
      userId: session.userId!,
      sessions: 0,
      events: 0,
      errors: 0,
      firstSeen: null,
      lastSeen: null,
      name: null,
      nameAt: null,
    }));
    user.sessions += sign;
    user.events += sign * session.eventCount;
    user.errors += sign * session.errorCount;
    if (sign === 1) {
      user.firstSeen = user.firstSeen === null ? session.startedAt : Math.min(user.firstSeen, session.startedAt);
      user.lastSeen = user.lastSeen === null ? session.endedAt : Math.max(user.lastSeen, session.endedAt);
      // The name of the most recent session that has one (ties: the greater name).
      if (
        session.userName !== null &&
        (user.nameAt === null ||
          session.endedAt > user.nameAt ||
          (session.endedAt === user.nameAt && session.userName > user.name!))
      ) {
        user.name = session.userName;
        user.nameAt = session.endedAt;
      }
    }
    entry(userClients, keyOf(session.userId, client), () => ({
      userId: session.userId!,
      client,
      sessions: 0,
    })).sessions += sign;
  };
  for (const session of removed) count(session, -1);
  for (const session of added) count(session, 1);

  const changed = <T extends { sessions: number }>(rows: Iterable<T>) =>
    [...rows].filter((row) => row.sessions !== 0 || ('events' in row && row.events !== 0));
  return {
    calls: [...calls.values()],
    activeUsers: [...activeUsers.values()],
    sessionStarts: changed(starts.values()),
    clientUsers: changed(clientUsers.values()),
    users: [...users.values()].filter(
      (u) => u.sessions !== 0 || u.events !== 0 || u.errors !== 0 || u.lastSeen !== null,
    ),
    userClients: changed(userClients.values()),
    recount,
  };
}
