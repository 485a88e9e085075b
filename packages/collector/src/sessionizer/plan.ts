import { changedRanges, labelsAlong, type LabelRange, type NamedSpan, sameClient } from './client-timeline.js';
import { isFingerprintKey, sessionKeyOf, splitsSession, type SessionEvent } from './session-key.js';
import {
  namesSession,
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
  /** The stored named sessions of each fingerprint key among the events' (absent: none yet). */
  clientTimelines: ReadonlyMap<string, readonly NamedSpan[]>;
  deriveId: DeriveSessionId;
}

export interface SessionPlan {
  /** Sessions to write in their new state (created, extended, merged or renamed). */
  upserts: SessionRecord[];
  /** Ids that no longer exist; each keeps resolving to `to`. Their events move to `to`. */
  retired: { from: string; to: string }[];
  /** Session id of every new event. */
  assignments: Map<string, string>;
  /** Fingerprint keys whose named sessions changed: those gone (by start) and those written. */
  timelines: { key: string; removed: number[]; added: NamedSpan[] }[];
  /** Stored sessions of a fingerprint key, outside `upserts`, that now show another client. */
  relabels: (LabelRange & { key: string })[];
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
  const plan: SessionPlan = { upserts: [], retired: [], assignments: new Map(), timelines: [], relabels: [] };
  const byKey = new Map<string, { kind: SessionRecord['kind']; events: SessionEvent[]; existing: SessionRecord[] }>();
  for (const event of input.events) {
    const { kind, key } = sessionKeyOf(event);
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = { kind, events: [], existing: [] }));
    group.events.push(event);
  }
  for (const record of input.existing) byKey.get(record.key)?.existing.push(record);

  for (const [key, group] of byKey) {
    const timeline = isFingerprintKey(key) ? (input.clientTimelines.get(key) ?? []) : null;
    const namedAt = timeline && new Map(timeline.map((span) => [span.startedAt, span.label]));
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
    const written: Written[] = [];
    let cluster: Span[] = [];
    let clusterEnd = -Infinity;
    const close = () => {
      // A cluster of stored sessions only holds nothing new.
      if (cluster.some((span) => span.record === null))
        written.push(mergeCluster(input, key, group.kind, cluster, namedAt));
    };
    for (const span of spans) {
      if (cluster.length > 0 && splitsSession(group.kind, span.start - clusterEnd, input.timeoutMs)) {
        close();
        cluster = [];
      }
      cluster.push(span);
      clusterEnd = Math.max(clusterEnd, span.end);
    }
    if (cluster.length > 0) close();
    if (timeline) nameFromTimeline(key, timeline, written, plan);
    for (const { merged, cluster } of written) {
      plan.upserts.push(merged);
      for (const span of cluster) {
        if (span.event) plan.assignments.set(span.event.id, merged.id);
        else if (span.record!.id !== merged.id) plan.retired.push({ from: span.record!.id, to: merged.id });
      }
    }
  }
  return plan;
}

/** A session the plan writes, the spans it is made of, and, for a fingerprint key, the client its own events name. */
interface Written {
  merged: SessionRecord;
  cluster: Span[];
  own: ClientLabel | null;
}

/**
 * A fingerprint key's sessions show the client named along its timeline (`client-timeline.ts`): the written sessions
 * replace the named points of the stored ones they are made of, and stored sessions whose label that changes are
 * relabeled.
 */
function nameFromTimeline(key: string, stored: readonly NamedSpan[], written: Written[], plan: SessionPlan): void {
  const replaced = new Set<number>();
  for (const { cluster } of written) for (const span of cluster) if (span.record) replaced.add(span.record.startedAt);
  const added = written.flatMap(({ merged, own }) => (own ? [{ startedAt: merged.startedAt, label: own }] : []));
  const removed = stored.filter((span) => replaced.has(span.startedAt));
  const after = [...stored.filter((span) => !replaced.has(span.startedAt)), ...added];
  const labelAt = labelsAlong(after);
  for (const { merged } of written) {
    const client = labelAt(merged.startedAt);
    merged.clientName = client?.name ?? null;
    merged.clientVersion = client?.version ?? null;
    merged.clientRank = client?.rank ?? 0;
    merged.labelsAt.client = null;
  }
  // A session extended without a better name of its own keeps its point: nothing to rewrite.
  const kept = (span: NamedSpan) =>
    removed.some(
      (old) => old.startedAt === span.startedAt && sameClient(old.label, span.label) && old.label.at === span.label.at,
    );
  const rewritten = added.filter((span) => !kept(span));
  const gone = removed.filter((old) => !added.some((span) => span.startedAt === old.startedAt && kept(span)));
  if (gone.length === 0 && rewritten.length === 0) return;
  plan.timelines.push({ key, removed: gone.map((span) => span.startedAt), added: rewritten });
  for (const range of changedRanges(stored, after)) plan.relabels.push({ key, ...range });
}

function compareSpans(a: Span, b: Span): number {
  return a.start - b.start || (a.firstEventId < b.firstEventId ? -1 : a.firstEventId > b.firstEventId ? 1 : 0);
}

/**
 * Merges a cluster of stored sessions and new events into the session it makes. For a fingerprint key (`namedAt`: its
 * stored sessions' own labels by start), `own` is the best client its own events named; the label it shows comes from
 * the timeline after.
 */
function mergeCluster(
  input: PlanInput,
  key: string,
  kind: SessionRecord['kind'],
  cluster: Span[],
  namedAt: ReadonlyMap<number, ClientLabel> | null,
): Written {
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
  const named: ClientLabel[] = [];
  const consider = (candidate: ClientLabel | null | undefined) => {
    if (candidate) named.push(candidate);
  };
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
    if (event) {
      if (event.clientName !== null)
        consider({
          name: event.clientName,
          version: event.clientVersion,
          rank: clientRank(event.clientSource),
          at: event.timestamp,
        });
    } else if (namedAt) {
      // What a stored session of a fingerprint key shows may be borrowed; what it named itself is on the timeline.
      consider(namedAt.get(record!.startedAt));
    } else if (record!.clientName !== null) {
      consider({
        name: record!.clientName,
        version: record!.clientVersion,
        rank: record!.clientRank,
        at: record!.labelsAt.client ?? record!.endedAt,
      });
    }
  }
  const own = named.reduce<ClientLabel | null>(
    (best, label) => (best && !namesSession(label, best) ? best : label),
    null,
  );
  if (own) Object.assign(merged, { clientName: own.name, clientVersion: own.version, clientRank: own.rank });
  // Label times equal to the session's end are left implicit (null), as rows written before label times read.
  const implicit = (at: number | null) => (at === null || at === merged.endedAt ? null : at);
  merged.labelsAt = {
    userId: merged.userId === null ? null : implicit(seenAt.userId),
    userName: merged.userName === null ? null : implicit(seenAt.userName),
    client: implicit(own?.at ?? null),
  };
  merged.id = input.deriveId(sessionIdentity(input.projectId, merged), idTime(merged));
  return { merged, cluster, own };
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
