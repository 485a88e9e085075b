import type { SessionKind } from '@mcptrail/protocol';

const KINDS: Record<SessionKind, { label: string; help: string }> = {
  stateful: { label: 'stateful', help: 'The server had a transport session id (Mcp-Session-Id or stdio)' },
  grouped: { label: 'grouped', help: 'Stateless requests grouped by user, client and inactivity gap' },
  anonymous: { label: 'anonymous', help: 'A single request with neither a session id nor a user' },
};

export function KindBadge({ kind }: { kind: SessionKind }) {
  const info = KINDS[kind] ?? { label: String(kind), help: '' };
  return (
    <span className={`badge kind-${info.label}`} title={info.help}>
      {info.label}
    </span>
  );
}
