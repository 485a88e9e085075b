import type { SessionKind, ValidEvent } from '@mcptrail/protocol';
import {
  clientRank,
  endsAfterInactivity,
  idTime,
  isFingerprintKey,
  sessionIdentity,
  sessionKeyOf,
  type DeriveSessionId,
} from '../src/sessionizer/index.js';

export interface SessionLabels {
  userId: string | null;
  userName: string | null;
  clientName: string | null;
  clientVersion: string | null;
}

export interface ReferenceSessions {
  /** Session id of every event. */
  assignment: Map<string, string>;
  /**
   * Each session's labels: for the user fields, the value of its newest event
   * that has one (ties: the greater value); for the client, the name and version
   * of the event with the most trusted source, then the earliest, then the greatest,
   * among the session's events; for a fingerprint key, of those clients of the
   * key's sessions up to this one, the most trusted, then the newest, or, before
   * the key's first name, the first named session's.
   */
  labels: Map<string, SessionLabels>;
}

const compareText = (a: string | null, b: string | null) =>
  (a ?? '') > (b ?? '') ? 1 : (a ?? '') < (b ?? '') ? -1 : 0;

const byText = (a: ValidEvent, b: ValidEvent) =>
  compareText(b.clientName, a.clientName) || compareText(b.clientVersion, a.clientVersion);
/** The event naming a session's client: the most trusted source, then the earliest, then the greatest. */
const openingClient = (events: readonly ValidEvent[]) =>
  events.toSorted(
    (a, b) => clientRank(b.clientSource) - clientRank(a.clientSource) || a.timestamp - b.timestamp || byText(a, b),
  )[0];
/** Of sessions' clients, the one a fingerprint key shows after them: the most trusted, then the newest. */
const latestClient = (events: readonly ValidEvent[]) =>
  events.toSorted(
    (a, b) => clientRank(b.clientSource) - clientRank(a.clientSource) || b.timestamp - a.timestamp || byText(a, b),
  )[0];

/**
 * The session rules written the obvious way: per key, sort every event and
 * split at gaps longer than the timeout. Tests hold the incremental store to it.
 */
export function referenceSessions(
  projectId: string,
  events: readonly ValidEvent[],
  timeoutMs: number,
  deriveId: DeriveSessionId,
): ReferenceSessions {
  const byKey = new Map<string, { kind: SessionKind; events: ValidEvent[] }>();
  for (const event of events) {
    const { kind, key } = sessionKeyOf(event);
    const group = byKey.get(key) ?? { kind, events: [] };
    group.events.push(event);
    byKey.set(key, group);
  }
  const assignment = new Map<string, string>();
  const labels = new Map<string, SessionLabels>();
  for (const [key, group] of byKey) {
    const sorted = [...group.events].sort(
      (a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const sessions: ValidEvent[][] = [];
    for (const event of sorted) {
      const previous = sessions.at(-1)?.at(-1);
      if (previous && (!endsAfterInactivity(group.kind) || event.timestamp - previous.timestamp <= timeoutMs))
        sessions.at(-1)!.push(event);
      else sessions.push([event]);
    }
    const named = (events: readonly ValidEvent[]) => events.filter((event) => event.clientName !== null);
    const firstNamed = sessions.find((session) => named(session).length > 0) ?? [];
    for (const session of sessions) {
      const first = session[0]!;
      const record = { kind: group.kind as SessionKind, key, startedAt: first.timestamp, firstEventId: first.id };
      const id = deriveId(sessionIdentity(projectId, record), idTime(record));
      for (const event of session) assignment.set(event.id, id);
      const newest = (field: 'userId' | 'userName') =>
        session
          .filter((event) => event[field] !== null)
          .sort((a, b) => b.timestamp - a.timestamp || compareText(b[field], a[field]))[0]?.[field] ?? null;
      const opening = (events: readonly ValidEvent[]) => openingClient(named(events));
      const client = isFingerprintKey(key)
        ? (latestClient(
            sessions.filter((other) => other[0]!.timestamp <= first.timestamp).flatMap((other) => opening(other) ?? []),
          ) ?? opening(firstNamed))
        : opening(session);
      labels.set(id, {
        userId: newest('userId'),
        userName: newest('userName'),
        clientName: client?.clientName ?? null,
        clientVersion: client?.clientVersion ?? null,
      });
    }
  }
  return { assignment, labels };
}
