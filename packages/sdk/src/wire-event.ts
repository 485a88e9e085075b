import type { WireEvent as SchemaWireEvent } from '@mcptrail/protocol';

/**
 * One event as the SDK sends it and `redact` sees it: the protocol's schema
 * input (`packages/protocol`, `wireEventSchema`) written out, because the SDK's
 * published types must not import zod (the SDK has no dependency on it). The
 * check below fails the build if the two ever differ.
 */
export interface WireEvent {
  id: string;
  /** When the request started: RFC 3339 string or epoch milliseconds. */
  timestamp: string | number;
  durationMs?: number | null;
  /** JSON-RPC method, e.g. `tools/call`. */
  method: string;
  /** Tool or prompt name, resource URI. */
  target?: string | null;
  /** Only when the server has a transport session (stdio, in-memory, stateful HTTP). */
  sessionId?: string | null;
  user?: { id: string; name?: string | null; data?: unknown } | null;
  /** `source`: where the SDK found the name (`clientInfo`, `header`, `userAgent`); absent means `clientInfo`. */
  client?: { name: string; version?: string | null; source?: string | null } | null;
  /** Stateless requests of clients that name themselves only in `initialize` (docs/adr/0104). */
  clientFingerprint?: string | null;
  /** The conversation a conversation token names. */
  conversationId?: string | null;
  server?: { name: string; version?: string | null } | null;
  protocolVersion?: string | null;
  transport?: string | null;
  isError?: boolean | null;
  error?: { type?: string | null; message: string; code?: number | string | null; stack?: string | null } | null;
  arguments?: unknown;
  result?: unknown;
  tags?: Record<string, string> | null;
  properties?: unknown;
}

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const matchesSchema: Same<WireEvent, SchemaWireEvent> = true;
void matchesSchema;
