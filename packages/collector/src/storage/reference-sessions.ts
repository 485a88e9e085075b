import type { SessionKind, ValidEvent } from '@mcptrail/protocol';
import { idTime, LABEL_FIELDS, sessionIdentity, sessionKeyOf, type DeriveSessionId, type LabelField } from '../sessionizer/index.js';

export interface ReferenceSessions {
  /** Session id of every event. */
  assignment: Map<string, string>;
  /** Each session's labels: the value of its newest event that has one (ties: the greater value). */
  labels: Map<string, Record<LabelField, string | null>>;
}

/**
 * The session rules written the obvious way: per key, sort every event and
 * split at gaps longer than the timeout. Tests hold the incremental store to it.
 */
export function referenceSessions(projectId: string, events: readonly ValidEvent[], timeoutMs: number, deriveId: DeriveSessionId): ReferenceSessions {
  const byKey = new Map<string, { kind: SessionKind; events: ValidEvent[] }>();
  for (const event of events) {
    const { kind, key } = sessionKeyOf(event);
    const group = byKey.get(key) ?? { kind, events: [] };
    group.events.push(event);
    byKey.set(key, group);
  }
  const assignment = new Map<string, string>();
  const labels = new Map<string, Record<LabelField, string | null>>();
  for (const [key, group] of byKey) {
    const sorted = [...group.events].sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let session: ValidEvent[] = [];
    const close = () => {
      const first = session[0]!;
      const record = { kind: group.kind as SessionKind, key, startedAt: first.timestamp, firstEventId: first.id };
      const id = deriveId(sessionIdentity(projectId, record), idTime(record));
      for (const event of session) assignment.set(event.id, id);
      const label = (field: LabelField) =>
        session
          .filter((event) => event[field] !== null)
          .sort((a, b) => b.timestamp - a.timestamp || (b[field]! > a[field]! ? 1 : b[field]! < a[field]! ? -1 : 0))[0]?.[field] ?? null;
      labels.set(id, Object.fromEntries(LABEL_FIELDS.map((field) => [field, label(field)])) as Record<LabelField, string | null>);
      session = [];
    };
    for (const event of sorted) {
      const previous = session.at(-1);
      if (previous && group.kind === 'grouped' && event.timestamp - previous.timestamp > timeoutMs) close();
      session.push(event);
    }
    close();
  }
  return { assignment, labels };
}
