import type { ClientInfo } from '../types.js';
import { ENVELOPE_CLIENT_INFO, isRecord, type RequestView } from '../adapters/request-view.js';

function asClient(value: unknown): ClientInfo | undefined {
  if (!isRecord(value) || typeof value.name !== 'string' || value.name === '') return undefined;
  return { name: value.name, version: typeof value.version === 'string' ? value.version : null };
}

/** User-Agents that name an HTTP library, not an MCP client (Node's fetch sends `node`). */
const HTTP_LIBRARIES = new Set(['node', 'undici', 'node-fetch', 'axios', 'got', 'curl', 'wget', 'python-requests', 'python-httpx', 'aiohttp', 'go-http-client', 'okhttp', 'java', 'deno', 'bun']);

/** `Cursor/1.7.2 (darwin)` → Cursor 1.7.2: the first product token of a User-Agent, unless it names an HTTP library. */
export function productToken(userAgent: string | undefined): ClientInfo | undefined {
  if (!userAgent) return undefined;
  const match = /^\s*([^\s/()]+)(?:\/([^\s()]+))?/.exec(userAgent);
  if (!match?.[1] || HTTP_LIBRARIES.has(match[1].toLowerCase())) return undefined;
  return { name: match[1], version: match[2] ?? null };
}

/**
 * The client of one request, first found wins (docs/sdk.md):
 * 1. the request's `_meta` clientInfo (2026-07-28 envelope),
 * 2. the `initialize` clientInfo of this connection,
 * 3. `x-mcp-client-name` / `x-mcp-client-version` headers,
 * 4. the User-Agent's product token.
 * The raw name is kept; display names belong to the collector.
 */
export function resolveClient(view: RequestView, connectionClient: unknown): ClientInfo | undefined {
  return (
    asClient(view.envelope()?.[ENVELOPE_CLIENT_INFO]) ??
    asClient(connectionClient) ??
    asClient({ name: view.header('x-mcp-client-name'), version: view.header('x-mcp-client-version') }) ??
    productToken(view.header('user-agent'))
  );
}
