/**
 * Both SDK lines keep request handlers in a `Map` on the protocol object
 * (`_requestHandlers`), and every registration path (`setRequestHandler`,
 * McpServer's lazy tool/prompt/resource handlers, v2's `server/discover`
 * installed after the factory returns) ends in `map.set`. Wrapping the
 * entries, and `set` on that one map instance, catches handlers registered
 * before and after track() on both lines and both module formats
 * (docs/adr/0102).
 */
export type Handler = (this: unknown, request: unknown, extra: unknown) => unknown;
export type Interceptor = (request: unknown, extra: unknown, invoke: () => unknown) => unknown;

const ORIGINAL = Symbol.for('mcptrail.originalHandler');

export interface ProtocolLike {
  _requestHandlers: Map<string, Handler>;
  _onrequest?: (request: unknown, extra: unknown) => unknown;
  transport?: unknown;
  _serverInfo?: { name?: unknown; version?: unknown };
  getClientVersion?: () => unknown;
  getNegotiatedProtocolVersion?: () => unknown;
}

export function isProtocolLike(value: unknown): value is ProtocolLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { _requestHandlers?: unknown })._requestHandlers instanceof Map
  );
}

function wrap(handler: Handler, intercept: Interceptor): Handler {
  if (typeof handler !== 'function' || (handler as unknown as Record<symbol, unknown>)[ORIGINAL]) return handler;
  const wrapped = function (this: unknown, request: unknown, extra: unknown) {
    return intercept(request, extra, () => handler.call(this, request, extra));
  };
  Object.defineProperty(wrapped, ORIGINAL, { value: handler });
  return wrapped;
}

export function wrapHandlerMap(server: ProtocolLike, intercept: Interceptor): void {
  const map = server._requestHandlers;
  for (const [method, handler] of map) Map.prototype.set.call(map, method, wrap(handler, intercept));
  const set = map.set;
  Object.defineProperty(map, 'set', {
    configurable: true,
    writable: true,
    value(this: Map<string, Handler>, method: string, handler: Handler) {
      return set.call(this, method, wrap(handler, intercept));
    },
  });
}

/** Remembered transport extras per request id, until the handler runs (bounded). */
export interface InboundLog {
  take(requestId: unknown): unknown;
}

const MAX_INBOUND = 1024;

/**
 * Keeps what the transport handed the protocol with each request (v1 drops
 * a web `request` it does not know, and with it the headers). The protocol
 * calls `this._onrequest(message, extra)` per message, so an instance
 * property catches it; absent on a shape, nothing is kept.
 */
export function recordInbound(server: ProtocolLike): InboundLog {
  const byId = new Map<unknown, unknown>();
  const original = server._onrequest;
  if (typeof original === 'function') {
    server._onrequest = function (this: unknown, request: unknown, extra: unknown) {
      const id = (request as { id?: unknown } | null)?.id;
      // Only a web `request` is lost on the way (v1 copies authInfo and requestInfo itself).
      if (id !== undefined && typeof extra === 'object' && extra !== null && 'request' in extra) {
        byId.set(id, extra);
        if (byId.size > MAX_INBOUND) byId.delete(byId.keys().next().value);
      }
      return original.call(this, request, extra);
    };
  }
  return {
    take(requestId) {
      if (byId.size === 0 || requestId === undefined) return undefined;
      const extra = byId.get(requestId);
      byId.delete(requestId);
      return extra;
    },
  };
}
