import type { ClientSource, SessionBasis, SessionKind } from '@mcptrail/protocol';

/** What the sessionizer needs to know about one event. */
export interface SessionEvent {
  id: string;
  timestamp: number;
  isError: boolean;
  transportSessionId: string | null;
  conversationId: string | null;
  userId: string | null;
  userName: string | null;
  clientName: string | null;
  clientVersion: string | null;
  clientSource: ClientSource | null;
  clientFingerprint: string | null;
}

/** Events that may share a session share a key (within one project). */
export interface SessionKey {
  kind: SessionKind;
  /** Stable text form; also the unit of locking in multi-instance storage. */
  key: string;
}

/** The client name used for grouping when an event names none. */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * The key of an event's session (docs/api.md "Sessions", docs/adr/0104): an exact
 * id when the event has one (transport session, conversation token); else the
 * user with the client's fingerprint, or with its name when it has no fingerprint
 * (a 2026-07-28 request names its client on every request); else the event alone.
 */
export function sessionKeyOf(event: SessionEvent): SessionKey {
  if (event.transportSessionId !== null) {
    return { kind: 'stateful', key: JSON.stringify(['t', event.transportSessionId]) };
  }
  if (event.conversationId !== null) {
    return { kind: 'conversation', key: JSON.stringify(['c', event.conversationId]) };
  }
  if (event.userId !== null) {
    if (event.clientFingerprint !== null)
      return { kind: 'grouped', key: JSON.stringify(['f', event.userId, event.clientFingerprint]) };
    return { kind: 'grouped', key: JSON.stringify(['u', event.userId, event.clientName ?? UNKNOWN_CLIENT]) };
  }
  return { kind: 'anonymous', key: JSON.stringify(['a', event.id]) };
}

/**
 * Whether sessions of this key are told apart by the client's fingerprint: their
 * client is then learned over the key's whole history (see `planSessions`).
 */
export function isFingerprintKey(key: string): boolean {
  return key.startsWith('["f"');
}

/**
 * A transport session stays whole however long its pauses ("events that carry a
 * session id keep it"); a stateless server's sessions, grouped or named by a
 * conversation token, end after the inactivity timeout, as the product note's
 * table has it (a token tells conversations apart, it does not outlast the window).
 */
export function endsAfterInactivity(kind: SessionKind): boolean {
  return kind === 'grouped' || kind === 'conversation';
}

/**
 * Whether a gap between two requests of one key (or a request and a session of
 * it) starts a new session: only past the timeout, and never for kinds that do
 * not end after inactivity. What-if regrouping applies the same rule (insights/).
 */
export function splitsSession(kind: SessionKind, gapMs: number, timeoutMs: number): boolean {
  return endsAfterInactivity(kind) && gapMs > timeoutMs;
}

/** How a session of this key was formed, for readers who want to trust or question it. */
export function sessionBasis(kind: SessionKind, key: string): SessionBasis {
  switch (kind) {
    case 'stateful':
      return 'transport-session';
    case 'conversation':
      return 'conversation-token';
    case 'anonymous':
      return 'anonymous';
    case 'grouped':
      return isFingerprintKey(key) ? 'user-fingerprint-window' : 'user-client-window';
  }
}
