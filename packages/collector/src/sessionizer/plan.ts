import { isFingerprintKey, sessionKeyOf, splitsSession, type SessionEvent } from './session-key.js';
import {
  betterClient,
  clientRank,
  idTime,
  newerLabel,
  sessionIdentity,
  type ClientLabel,
  type DeriveSessionId,
  type SessionRecord,
} from './session-record.js';

export interface PlanInput {
  projectId: string;
  /** Inactivity gap that ends a grouped session: a gap ≤ this keeps the session going. */
  timeoutMs: number;
  /** New events (already free of duplicates), any order. */
  events: readonly SessionEvent[];
  /** Stored sessions of the events' keys that may touch them (see `candidateWindow`); extra ones are harmless. */
  existing: readonly SessionRecord[];
  /** The client learned so far for each fingerprint key among the events' (absent: none yet). */
  fingerprintClients: ReadonlyMap<string, ClientLabel>;
  deriveId: DeriveSessionId;
}

export interface SessionPlan {
  /** Sessions to write in their new state (created, extended, merged or renamed). */
  upserts: SessionRecord[];
  /** Ids that no longer exist; each keeps resolving to `to`. Their events move to `to`. */
  retired: { from: string; to: string }[];
  /** Session id of every new event. */
  assignments: Map<string, string>;
  /** Fingerprint keys whose learned client these events changed, with the new one. */
  learned: Map<string, ClientLabel>;
  /** Of those, the keys whose client name, version or rank changed: every stored session of the key shows it. */
  relabeled: string[];
}

/** One stored session or one new event, as a span on the key's timeline. */
interface Span {
  start: number;
  end: number;
  firstEventId: string;
  record: SessionRecord | null;
  event: SessionEvent | null;
}

/**
 * Assigns new events to sessions and says how stored sessions change. Pure: the
 * same stored state and events give the same plan, and planning events in any
 * split gives the same final sessions as planning them at once (ADR 0201).
 */
export function planSessions(input: PlanInput): SessionPlan {
  const plan: SessionPlan = { upserts: [], retired: [], assignments: new Map(), learned: new Map(), relabeled: [] };
  const byKey = new Map<string, { kind: SessionRecord['kind']; events: SessionEvent[]; existing: SessionRecord[] }>();
  for (const event of input.events) {
    const { kind, key } = sessionKeyOf(event);
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = { kind, events: [], existing: [] }));
    group.events.push(event);
  }
  for (const record of input.existing) byKey.get(record.key)?.existing.push(record);

  for (const [key, group] of byKey) {
    const learned = isFingerprintKey(key)
      ? learnClient(key, group.events, input.fingerprintClients.get(key), plan)
      : undefined;
    const spans: Span[] = [
      ...group.existing.map((record) => ({
        start: record.startedAt,
        end: record.endedAt,
        firstEventId: record.firstEventId,
        record,
        event: null,
      })),
      ...group.events.map((event) => ({
        start: event.timestamp,
        end: event.timestamp,
        firstEventId: event.id,
        record: null,
        event,
      })),
    ];
    spans.sort(compareSpans);
    let cluster: Span[] = [];
    let clusterEnd = -Infinity;
    for (const span of spans) {
      if (cluster.length > 0 && splitsSession(group.kind, span.start - clusterEnd, input.timeoutMs)) {
        applyCluster(input, key, group.kind, cluster, learned, plan);
        cluster = [];
      }
      cluster.push(span);
      clusterEnd = Math.max(clusterEnd, span.end);
    }
    if (cluster.length > 0) applyCluster(input, key, group.kind, cluster, learned, plan);
  }
  return plan;
}

/**
 * A 2025 client names itself only in `initialize`, so most sessions of a
 * fingerprint key hold no name, or only a guess from the User-Agent. The key's
 * client is the best label among all its events ever (a maximum, so any arrival
 * order learns the same), and every session of the key shows it (docs/adr/0104).
 */
function learnClient(
  key: string,
  events: readonly SessionEvent[],
  stored: ClientLabel | undefined,
  plan: SessionPlan,
): ClientLabel | undefined {
  let best = stored;
  for (const event of events) {
    if (event.clientName === null) continue;
    const candidate: ClientLabel = {
      name: event.clientName,
      version: event.clientVersion,
      rank: clientRank(event.clientSource),
      at: event.timestamp,
    };
    if (best === undefined || betterClient(candidate, best)) best = candidate;
  }
  if (best !== undefined && best !== stored) {
    plan.learned.set(key, best);
    if (
      stored === undefined ||
      stored.name !== best.name ||
      stored.version !== best.version ||
      stored.rank !== best.rank
    )
      plan.relabeled.push(key);
  }
  return best;
}

function compareSpans(a: Span, b: Span): number {
  return a.start - b.start || (a.firstEventId < b.firstEventId ? -1 : a.firstEventId > b.firstEventId ? 1 : 0);
}

function applyCluster(
  input: PlanInput,
  key: string,
  kind: SessionRecord['kind'],
  cluster: Span[],
  learned: ClientLabel | undefined,
  plan: SessionPlan,
): void {
  if (cluster.every((span) => span.record !== null)) return; // nothing new here
  const first = cluster[0]!; // sorted: the earliest span holds the earliest event
  const merged: SessionRecord = {
    id: '',
    kind,
    key,
    startedAt: first.start,
    endedAt: -Infinity,
    firstEventId: first.firstEventId,
    eventCount: 0,
    errorCount: 0,
    userId: null,
    userName: null,
    clientName: null,
    clientVersion: null,
    clientRank: 0,
    transportSessionId: null,
    labelsAt: { userId: null, userName: null, client: null },
  };
  const seenAt = { userId: 0, userName: 0 };
  let client: ClientLabel | null = null;
  for (const span of cluster) {
    const record = span.record;
    const event = span.event;
    const source = (record ?? event)!;
    merged.endedAt = Math.max(merged.endedAt, span.end);
    merged.eventCount += record ? record.eventCount : 1;
    merged.errorCount += record ? record.errorCount : event!.isError ? 1 : 0;
    // The same for every event of a key (it is part of it).
    merged.transportSessionId ??= source.transportSessionId;
    for (const field of ['userId', 'userName'] as const) {
      const value = source[field];
      if (value === null) continue;
      const at = record ? (record.labelsAt[field] ?? record.endedAt) : event!.timestamp;
      const current = merged[field];
      if (current === null || newerLabel(at, value, seenAt[field], current)) {
        merged[field] = value;
        seenAt[field] = at;
      }
    }
    if (source.clientName !== null) {
      const candidate: ClientLabel = {
        name: source.clientName,
        version: source.clientVersion,
        rank: record ? record.clientRank : clientRank(event!.clientSource),
        at: record ? (record.labelsAt.client ?? record.endedAt) : event!.timestamp,
      };
      if (client === null || betterClient(candidate, client)) client = candidate;
    }
  }
  if (learned) client = { ...learned, at: merged.endedAt };
  if (client)
    Object.assign(merged, { clientName: client.name, clientVersion: client.version, clientRank: client.rank });
  // Label times equal to the session's end are left implicit (null), as rows written before label times read.
  const implicit = (at: number | null) => (at === null || at === merged.endedAt ? null : at);
  merged.labelsAt = {
    userId: merged.userId === null ? null : implicit(seenAt.userId),
    userName: merged.userName === null ? null : implicit(seenAt.userName),
    client: implicit(client?.at ?? null),
  };
  merged.id = input.deriveId(sessionIdentity(input.projectId, merged), idTime(merged));
  plan.upserts.push(merged);
  for (const span of cluster) {
    if (span.event) plan.assignments.set(span.event.id, merged.id);
    else if (span.record!.id !== merged.id) plan.retired.push({ from: span.record!.id, to: merged.id });
  }
}

/**
 * The stored sessions of a key that can touch events in [min, max]: those
 * ending at or after `min - timeout` and starting at or before `max + timeout`.
 */
export function candidateWindow(events: readonly SessionEvent[], timeoutMs: number): { from: number; to: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const event of events) {
    if (event.timestamp < min) min = event.timestamp;
    if (event.timestamp > max) max = event.timestamp;
  }
  return { from: min - timeoutMs, to: max + timeoutMs };
}
