import type { SessionKind } from '@mcptrail/protocol';

/** What the sessionizer needs to know about one event. */
export interface SessionEvent {
  id: string;
  timestamp: number;
  isError: boolean;
  transportSessionId: string | null;
  userId: string | null;
  userName: string | null;
  clientName: string | null;
  clientVersion: string | null;
}

/** Events that may share a session share a key (within one project). */
export interface SessionKey {
  kind: SessionKind;
  /** Stable text form; also the unit of locking in multi-instance storage. */
  key: string;
}

/** The client name used for grouping when an event names none. */
export const UNKNOWN_CLIENT = 'unknown';

export function sessionKeyOf(event: SessionEvent): SessionKey {
  if (event.transportSessionId !== null) {
    return { kind: 'stateful', key: JSON.stringify(['t', event.transportSessionId]) };
  }
  if (event.userId !== null) {
    return { kind: 'grouped', key: JSON.stringify(['u', event.userId, event.clientName ?? UNKNOWN_CLIENT]) };
  }
  return { kind: 'anonymous', key: JSON.stringify(['a', event.id]) };
}
