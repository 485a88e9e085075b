/**
 * Stateful or stateless, and the session id (docs/sdk.md, "What stateless
 * detection detects"). First rule that applies wins:
 * 1. `stateless: true` (option, or detected from fastmcp's start options) → stateless;
 * 2. a 2026-07-28 request (per-request envelope) → stateless, unless `stateless: false`;
 * 3. a transport session id (`mcp-session-id`) → stateful, with that id;
 * 4. `stateless: false` → stateful, one id per connection (transport);
 * 5. over HTTP without a session → stateless;
 * 6. otherwise (stdio, in-memory) → stateful, one id per connection.
 */
export interface SessionFacts {
  forced: boolean | undefined;
  modern: boolean;
  http: boolean;
  transportSessionId: string | undefined;
  connectionId: () => string;
}

export interface SessionDecision {
  stateless: boolean;
  sessionId: string | null;
}

const STATELESS: SessionDecision = { stateless: true, sessionId: null };

export function decideSession(facts: SessionFacts): SessionDecision {
  if (facts.forced === true) return STATELESS;
  if (facts.modern && facts.forced !== false) return STATELESS;
  if (facts.transportSessionId) return { stateless: false, sessionId: facts.transportSessionId };
  if (facts.forced === false) return { stateless: false, sessionId: facts.connectionId() };
  if (facts.http) return STATELESS;
  return { stateless: false, sessionId: facts.connectionId() };
}
