import type { SessionKind } from '@mcptrail/protocol';

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
  transportSessionId: string | null;
  /**
   * For each label, the timestamp of the event it came from; null when that is
   * `endedAt` (the usual case, and what sessions stored before label times mean).
   */
  labelsAt: Record<LabelField, number | null>;
}

/**
 * Descriptive fields that may differ between the events of one session. Each
 * takes the value of the newest event carrying one (ties: the greater value),
 * a maximum, so merging stored sessions and late events in any order gives the
 * same labels as reading all the events at once.
 */
export const LABEL_FIELDS = ['userId', 'userName', 'clientName', 'clientVersion'] as const;
export type LabelField = (typeof LABEL_FIELDS)[number];

/** Whether the label value `value` seen at `at` wins over `current` (seen at `currentAt`). */
export function newerLabel(at: number, value: string, currentAt: number, current: string): boolean {
  return at > currentAt || (at === currentAt && value > current);
}

/**
 * Turns the text that identifies a session into its `ses_…` id (injected: the
 * core stays free of crypto). `startedAt`, when given, leads the id so that new
 * ids sort by time and land at the end of indexes instead of all over them.
 */
export type DeriveSessionId = (identity: string, startedAt: number | null) => string;

/** The start time that leads the id; a transport session's id must not move when an earlier event arrives. */
export function idTime(record: Pick<SessionRecord, 'kind' | 'startedAt'>): number | null {
  return record.kind === 'stateful' ? null : record.startedAt;
}

export function sessionIdentity(projectId: string, record: Pick<SessionRecord, 'kind' | 'key' | 'startedAt' | 'firstEventId'>): string {
  // Stateful and anonymous keys never change their earliest-event identity, so the key alone names them.
  return record.kind === 'grouped'
    ? `${projectId}\u0000${record.key}\u0000${record.startedAt}\u0000${record.firstEventId}`
    : `${projectId}\u0000${record.key}`;
}
