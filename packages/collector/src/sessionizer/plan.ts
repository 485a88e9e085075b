import { sessionKeyOf, type SessionEvent } from './session-key.js';
import { idTime, LABEL_FIELDS, newerLabel, sessionIdentity, type DeriveSessionId, type LabelField, type SessionRecord } from './session-record.js';

export interface PlanInput {
  projectId: string;
  /** Inactivity gap that ends a grouped session: a gap ≤ this keeps the session going. */
  timeoutMs: number;
  /** New events (already free of duplicates), any order. */
  events: readonly SessionEvent[];
  /** Stored sessions of the events' keys that may touch them (see `candidateWindow`); extra ones are harmless. */
  existing: readonly SessionRecord[];
  deriveId: DeriveSessionId;
}

export interface SessionPlan {
  /** Sessions to write in their new state (created, extended, merged or renamed). */
  upserts: SessionRecord[];
  /** Ids that no longer exist; each keeps resolving to `to`. Their events move to `to`. */
  retired: { from: string; to: string }[];
  /** Session id of every new event. */
  assignments: Map<string, string>;
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
  const plan: SessionPlan = { upserts: [], retired: [], assignments: new Map() };
  const byKey = new Map<string, { kind: SessionRecord['kind']; events: SessionEvent[]; existing: SessionRecord[] }>();
  for (const event of input.events) {
    const { kind, key } = sessionKeyOf(event);
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = { kind, events: [], existing: [] }));
    group.events.push(event);
  }
  for (const record of input.existing) byKey.get(record.key)?.existing.push(record);

  for (const [key, group] of byKey) {
    const spans: Span[] = [
      ...group.existing.map((record) => ({ start: record.startedAt, end: record.endedAt, firstEventId: record.firstEventId, record, event: null })),
      ...group.events.map((event) => ({ start: event.timestamp, end: event.timestamp, firstEventId: event.id, record: null, event })),
    ];
    spans.sort(compareSpans);
    // A transport session is one session however long its pauses.
    const gapLimit = group.kind === 'grouped' ? input.timeoutMs : Infinity;
    let cluster: Span[] = [];
    let clusterEnd = -Infinity;
    for (const span of spans) {
      if (cluster.length > 0 && span.start - clusterEnd > gapLimit) {
        applyCluster(input, key, group.kind, cluster, plan);
        cluster = [];
      }
      cluster.push(span);
      clusterEnd = Math.max(clusterEnd, span.end);
    }
    if (cluster.length > 0) applyCluster(input, key, group.kind, cluster, plan);
  }
  return plan;
}

function compareSpans(a: Span, b: Span): number {
  return a.start - b.start || (a.firstEventId < b.firstEventId ? -1 : a.firstEventId > b.firstEventId ? 1 : 0);
}

function applyCluster(input: PlanInput, key: string, kind: SessionRecord['kind'], cluster: Span[], plan: SessionPlan): void {
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
    transportSessionId: null,
    labelsAt: { userId: null, userName: null, clientName: null, clientVersion: null },
  };
  const seenAt: Record<LabelField, number> = { userId: 0, userName: 0, clientName: 0, clientVersion: 0 };
  for (const span of cluster) {
    const record = span.record;
    const event = span.event;
    merged.endedAt = Math.max(merged.endedAt, span.end);
    merged.eventCount += record ? record.eventCount : 1;
    merged.errorCount += record ? record.errorCount : event!.isError ? 1 : 0;
    // The same for every event of a key (it is part of it).
    merged.transportSessionId ??= (record ?? event!).transportSessionId;
    for (const field of LABEL_FIELDS) {
      const value = (record ?? event!)[field];
      if (value === null) continue;
      const at = record ? (record.labelsAt[field] ?? record.endedAt) : event!.timestamp;
      const current = merged[field];
      if (current === null || newerLabel(at, value, seenAt[field], current)) {
        merged[field] = value;
        seenAt[field] = at;
      }
    }
  }
  for (const field of LABEL_FIELDS) merged.labelsAt[field] = merged[field] === null || seenAt[field] === merged.endedAt ? null : seenAt[field];
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
