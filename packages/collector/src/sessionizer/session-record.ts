import type { ClientSource, SessionKind } from '@mcptrail/protocol';
import { endsAfterInactivity } from './session-key.js';

/** A stored session's summary: enough to extend or merge it without reading its events. */
export interface SessionRecord {
  id: string;
  kind: SessionKind;
  key: string;
  startedAt: number;
  endedAt: number;
  /** Earliest event (by timestamp, then id): the session id is derived from it. */
  firstEventId: string;
  eventCount: number;
  errorCount: number;
  userId: string | null;
  userName: string | null;
  clientName: string | null;
  clientVersion: string | null;
  /** How trusted the client label's source is (`clientRank`); 0 when there is no client label. */
  clientRank: number;
  transportSessionId: string | null;
  /**
   * For each label, the timestamp of the event it came from; null when that is
   * `endedAt` (the usual case, and what sessions stored before label times mean).
   */
  labelsAt: Record<LabelField, number | null>;
}

/**
 * Descriptive values that may differ between the events of one session. Each is
 * a maximum, so merging stored sessions and late events in any order gives the
 * same labels as reading all the events at once (ADR 0201): `userId` and
 * `userName` take the value of the newest event carrying one (ties: the greater
 * value); `client` (name and version together) the one from the most trusted
 * source (`clientRank`), then the earliest (`namesSession`), then the greater.
 */
export type LabelField = 'userId' | 'userName' | 'client';

/** Whether the label value `value` seen at `at` wins over `current` (seen at `currentAt`). */
export function newerLabel(at: number, value: string, currentAt: number, current: string): boolean {
  return at > currentAt || (at === currentAt && value > current);
}

/** A client label candidate: a name (and its version) from an event or a stored session. */
export interface ClientLabel {
  name: string;
  version: string | null;
  rank: number;
  at: number;
}

const RANKS: Record<ClientSource, number> = { clientInfo: 2, header: 1, userAgent: 0 };

/** MCP's own `clientInfo` outranks a gateway's header, which outranks a guess from the User-Agent. */
export function clientRank(source: ClientSource | null): number {
  return RANKS[source ?? 'clientInfo'];
}

/**
 * Whether client label `a` wins over `b` along a fingerprint key's timeline: more trusted, then newer (a later
 * session's name is the client now), then greater name, then greater version.
 */
export function betterClient(a: ClientLabel, b: ClientLabel): boolean {
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (a.at !== b.at) return a.at > b.at;
  return greaterLabel(a, b);
}

/**
 * Whether label `a` names a session rather than `b`: more trusted, then earlier — the client that opened the session.
 * A version seen later in it (two installations in one stretch of activity) does not relabel the session, so a long
 * session's calls are not moved between labels again and again (docs/adr/0201).
 */
export function namesSession(a: ClientLabel, b: ClientLabel): boolean {
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (a.at !== b.at) return a.at < b.at;
  return greaterLabel(a, b);
}

const greaterLabel = (a: ClientLabel, b: ClientLabel) =>
  a.name !== b.name ? a.name > b.name : (a.version ?? '') > (b.version ?? '');

/**
 * Turns the text that identifies a session into its `ses_…` id (injected: the
 * core stays free of crypto). `startedAt`, when given, leads the id so that new
 * ids sort by time and land at the end of indexes instead of all over them.
 */
export type DeriveSessionId = (identity: string, startedAt: number | null) => string;

/** The start time that leads the id; an exactly known session's id must not move when an earlier event arrives. */
export function idTime(record: Pick<SessionRecord, 'kind' | 'startedAt'>): number | null {
  return endsAfterInactivity(record.kind) || record.kind === 'anonymous' ? record.startedAt : null;
}

export function sessionIdentity(
  projectId: string,
  record: Pick<SessionRecord, 'kind' | 'key' | 'startedAt' | 'firstEventId'>,
): string {
  // Only sessions that end after inactivity can gain an earlier first event; every other key names one session for
  // good.
  return endsAfterInactivity(record.kind)
    ? `${projectId}\u0000${record.key}\u0000${record.startedAt}\u0000${record.firstEventId}`
    : `${projectId}\u0000${record.key}`;
}
