import type { ClientSource } from '@mcptrail/protocol';
import type { WireEvent } from './wire-event.js';

export type { ClientSource, WireEvent };

/** Who made a request, as `identify` answers it. */
export interface UserIdentity {
  userId: string;
  userName?: string | null;
  userData?: unknown;
}

export interface ClientInfo {
  name: string;
  version?: string | null;
  /** Where the name was found: the MCP `clientInfo`, an `x-mcp-client-name` header, or the User-Agent. */
  source?: ClientSource;
}

/** The same shape on v1 and v2 servers; see docs/sdk.md. */
export interface RequestContext {
  /** Lower-cased HTTP request headers, when the request came over HTTP. */
  readonly headers: Record<string, string> | undefined;
  readonly authInfo: unknown;
  /** The transport session id (HTTP `mcp-session-id`), when there is one. */
  readonly sessionId: string | undefined;
  /**
   * The client's address: the first `X-Forwarded-For` hop with `trustProxy`,
   * else the socket's peer when the transport exposes it. Never sent by itself;
   * return it from `properties` or `tags` to store it.
   */
  readonly clientAddress: string | undefined;
  /** The client as far as it is known for this request. */
  readonly clientInfo: ClientInfo | undefined;
  /** The request's `_meta`, including the 2026-07-28 envelope keys. */
  readonly meta: Record<string, unknown> | undefined;
  /** The SDK's own `extra` (v1) or `ctx` (v2). */
  readonly raw: unknown;
}

/** The JSON-RPC request a handler received. */
export interface RequestInfo {
  method: string;
  params?: Record<string, unknown> | undefined;
}

export type Identify = (
  request: RequestInfo,
  context: RequestContext,
) => UserIdentity | null | undefined | Promise<UserIdentity | null | undefined>;

export interface CaptureOptions {
  /** Send tool/prompt arguments (sanitized and capped). Default true. */
  arguments?: boolean;
  /** Send results (sanitized and capped). Default true. */
  results?: boolean;
  /** Extra keys whose values are replaced by `[redacted]` (case-insensitive, substring). */
  sensitiveKeys?: string[];
  /** Cap for each of `arguments` and `result`, as serialized JSON. Default 32 KiB, at most 256 KiB. */
  maxPayloadBytes?: number;
}

export interface DeliveryOptions {
  /** Events per request. Default 500 (the collector takes at most 1000). */
  batchSize?: number;
  /** Longest wait before a partial batch is sent, ms. Default 1000. */
  flushIntervalMs?: number;
  /** Queue bound by count. Default 100,000. */
  maxQueueEvents?: number;
  /** Queue bound by serialized size (UTF-8 bytes of JSON, plus 100 per event). Default 64 MiB. */
  maxQueueBytes?: number;
  /** Attempts per batch before it goes back to the queue (to be tried again, backoff capped at 30 s). Default 8. */
  maxAttempts?: number;
  /** Deadline for each request all told (connect, send, read the answer), ms. Default 10,000. */
  requestTimeoutMs?: number;
  /** gzip bodies larger than this many bytes; `false` never compresses. Default 1 MiB. */
  gzipAboveBytes?: number | false;
}

export interface TrackOptions {
  /** Project write key; default `MCPTRAIL_KEY`. */
  projectKey?: string;
  /** Collector base URL; default `MCPTRAIL_ENDPOINT` or http://127.0.0.1:4400. */
  endpoint?: string;
  identify?: Identify;
  /** Timeout after which an event is sent anonymous. Default 1000 ms. */
  identifyTimeoutMs?: number;
  /** true / false force the mode; left out: detected (docs/sdk.md). */
  stateless?: boolean;
  /**
   * Answer `initialize` on stateless HTTP with a signed conversation token as
   * `Mcp-Session-Id`, which clients echo on every later request: each
   * conversation becomes exactly one session, named after its client
   * (docs/adr/0104). `true` signs with the project key (shared by every
   * process); `{ secret }` with a secret of your own. Default: off.
   */
  conversationToken?: boolean | { secret: string };
  /**
   * Your server runs behind a proxy you trust to set `X-Forwarded-For`: the
   * client fingerprint then uses its first hop as the client's address. Default false.
   */
  trustProxy?: boolean;
  capture?: CaptureOptions;
  /** Last look at each event; return null to drop it. */
  redact?: (event: WireEvent) => WireEvent | null | undefined;
  tags?: (request: RequestInfo, context: RequestContext) => Record<string, string> | null | undefined;
  properties?: (request: RequestInfo, context: RequestContext) => Record<string, unknown> | null | undefined;
  delivery?: DeliveryOptions;
  /** Switch tracking off (events are not built nor sent). Default: on. */
  enabled?: boolean;
}
