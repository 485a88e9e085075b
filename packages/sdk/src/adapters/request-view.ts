/**
 * What the tracker reads from one request, whatever SDK line served it.
 * `sdk-v1.ts` and `sdk-v2.ts` each turn their SDK's `extra`/`ctx` into this
 * (docs/adr/0101: the line is told by the context's shape, never a version).
 */
export interface RequestView {
  /** The request came over HTTP (headers available). */
  readonly http: boolean;
  /** One lower-cased header, without building the whole map. */
  header(name: string): string | undefined;
  /** All headers, lower-cased; undefined off HTTP. */
  headers(): Record<string, string> | undefined;
  /** The transport's session id (`mcp-session-id`), when the transport has sessions. */
  readonly transportSessionId: string | undefined;
  readonly authInfo: unknown;
  /** The request's `_meta`, envelope keys included. */
  meta(): Record<string, unknown> | undefined;
  /** The 2026-07-28 per-request envelope (`io.modelcontextprotocol/*` keys), if any. */
  envelope(): Record<string, unknown> | undefined;
  readonly raw: unknown;
}

export const ENVELOPE_PREFIX = 'io.modelcontextprotocol/';
export const ENVELOPE_CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
export const ENVELOPE_PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` is an object with functions named `first` and `second`: things are told by shape (docs/adr/0101). */
export function hasMethods(value: unknown, first: string, second: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const methods = value as Record<string, unknown>;
  return typeof methods[first] === 'function' && typeof methods[second] === 'function';
}

/** The envelope keys of a `_meta` object (v1 leaves them in `_meta`). */
export function envelopeKeysOf(meta: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!meta) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(meta)) {
    if (key.startsWith(ENVELOPE_PREFIX)) (out ??= {})[key] = meta[key];
  }
  return out;
}

/** Whether a request is a 2026-07-28 one: its envelope names a protocol version. */
export function isModernRequest(view: RequestView): boolean {
  return typeof view.envelope()?.[ENVELOPE_PROTOCOL_VERSION] === 'string';
}
