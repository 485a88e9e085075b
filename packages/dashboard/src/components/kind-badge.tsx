import type { SessionBasis, SessionKind } from '@mcptrail/protocol';

/** How a session was formed, in words a reader can trust or question (docs/api.md, "Sessions"). */
const BASES: Record<SessionBasis, { label: string; kind: SessionKind; help: string }> = {
  'transport-session': {
    label: 'transport session',
    kind: 'stateful',
    help: 'Exact: the server had a transport session id (Mcp-Session-Id or stdio)',
  },
  'conversation-token': {
    label: 'conversation token',
    kind: 'conversation',
    help: 'Exact: the client echoed the conversation token the server answered initialize with',
  },
  'user-client-window': {
    label: 'user + client',
    kind: 'grouped',
    help: 'Inferred: stateless requests of one user and client name, no gap over the inactivity timeout',
  },
  'user-fingerprint-window': {
    label: 'user + fingerprint',
    kind: 'grouped',
    help:
      'Inferred: stateless requests of one user from one client (same User-Agent, protocol version and network ' +
      'as its initialize), no gap over the inactivity timeout',
  },
  anonymous: { label: 'anonymous', kind: 'anonymous', help: 'A single request with neither a session id nor a user' },
};

export const SESSION_KINDS: readonly SessionKind[] = ['stateful', 'conversation', 'grouped', 'anonymous'];

export function KindBadge({ basis }: { basis: SessionBasis }) {
  const info = BASES[basis] ?? { label: String(basis), kind: 'grouped', help: '' };
  return (
    <span className={`badge kind-${info.kind}`} title={info.help} data-testid="session-basis">
      {info.label}
    </span>
  );
}
