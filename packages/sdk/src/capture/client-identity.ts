import type { ClientInfo } from '../types.js';
import { ENVELOPE_CLIENT_INFO, isRecord, type RequestView } from '../adapters/request-view.js';

function asClient(value: unknown, source: ClientInfo['source']): ClientInfo | undefined {
  if (!isRecord(value) || typeof value.name !== 'string' || value.name === '') return undefined;
  return { name: value.name, version: typeof value.version === 'string' ? value.version : null, source };
}

/**
 * User-Agent products that name an HTTP library, a runtime or a browser engine,
 * not an MCP client, by family rather than exact string (`python-httpx2`,
 * `Python-urllib`, `Go-http-client`, `Apache-HttpClient`, Node's fetch sending `node`).
 */
const HTTP_LIBRARY_FAMILIES: readonly RegExp[] = [
  /^python(-|$)/,
  /^(py)?(httpx|requests|urllib|aiohttp|httpcore)\d*$/,
  /^(node|node-fetch|undici|axios|got|superagent|ky|bun|deno)$/,
  /^(curl|libcurl|wget|httpie)$/,
  /^go-http-client$/,
  /^(okhttp|java|apache-httpclient|java-http-client|jetty|reactor-netty)$/,
  /^(reqwest|hyper|ureq|rust)$/,
  /^(ruby|faraday|net::http|typhoeus)$/,
  /^(dart|dart:io)$/,
  /^(dotnet|\.net|restsharp)/,
  /^(mozilla|opera)$/,
];

export function isHttpLibrary(product: string): boolean {
  const name = product.toLowerCase();
  return HTTP_LIBRARY_FAMILIES.some((family) => family.test(name));
}

/** `Cursor/1.7.2 (darwin)` → Cursor 1.7.2: the first product token of a User-Agent, unless it names an HTTP library. */
export function productToken(userAgent: string | undefined): ClientInfo | undefined {
  if (!userAgent) return undefined;
  const match = /^\s*([^\s/()]+)(?:\/([^\s()]+))?/.exec(userAgent);
  if (!match?.[1] || isHttpLibrary(match[1])) return undefined;
  return { name: match[1], version: match[2] ?? null, source: 'userAgent' };
}

/**
 * The client of one request, first found wins (docs/sdk.md):
 * 1. the request's `_meta` clientInfo (2026-07-28 envelope),
 * 2. the `initialize` clientInfo of this connection,
 * 3. the conversation token's client (itself from an `initialize`),
 * 4. `x-mcp-client-name` / `x-mcp-client-version` headers,
 * 5. the User-Agent's product token.
 * The raw name is kept, with where it came from; display names belong to the collector.
 */
export function resolveClient(
  view: RequestView,
  connectionClient: unknown,
  tokenClient: ClientInfo | undefined,
): ClientInfo | undefined {
  return (
    asClient(view.envelope()?.[ENVELOPE_CLIENT_INFO], 'clientInfo') ??
    asClient(connectionClient, 'clientInfo') ??
    tokenClient ??
    asClient({ name: view.header('x-mcp-client-name'), version: view.header('x-mcp-client-version') }, 'header') ??
    productToken(view.header('user-agent'))
  );
}

/** Whether the request names its client itself (2026-07-28): then no fingerprint is needed to find it. */
export function namesItsClient(view: RequestView): boolean {
  return asClient(view.envelope()?.[ENVELOPE_CLIENT_INFO], 'clientInfo') !== undefined;
}
