import { contain } from '../internal/log.js';
import type { ProtocolLike } from './handler-map.js';
import { hasMethods } from './request-view.js';

/**
 * What a handler cannot see of the HTTP exchange its request came in: the
 * client's socket address, and the response, to answer `initialize` with a
 * conversation token. Both SDK lines serve Streamable HTTP through a transport
 * with `handleRequest` (node `(req, res, body?)` or web `(request) → Response`),
 * connected to the server by `connect(transport)`; wrapping those two catches
 * every exchange, v1 and v2, plain or under fastmcp (docs/adr/0104).
 */
export interface HttpExchange {
  /** The peer of the request's socket (node transports only). */
  readonly peerAddress: string | undefined;
  /** Sets a response header unless the response has started or already has it; says whether it did. */
  setHeader(name: string, value: string): boolean;
}

interface NodeRequest {
  socket?: { remoteAddress?: string };
}
interface NodeResponse {
  headersSent: boolean;
  hasHeader(name: string): boolean;
  setHeader(name: string, value: string): unknown;
}
interface WebResponse {
  headers: { has(name: string): boolean; set(name: string, value: string): void };
}
type HandleRequest = (this: unknown, ...args: unknown[]) => unknown;

const exchanges = new WeakMap<object, HttpExchange>();
const HOOKED = Symbol.for('mcptrail.httpExchangeHooked');

/** The exchange a transport is serving now; a stateless transport serves exactly one. */
export function exchangeOf(transport: unknown): HttpExchange | undefined {
  return typeof transport === 'object' && transport !== null ? exchanges.get(transport) : undefined;
}

function isNodeResponse(value: unknown): value is NodeResponse {
  return hasMethods(value, 'setHeader', 'hasHeader');
}

function isWebResponse(value: unknown): value is WebResponse {
  return hasMethods((value as Partial<WebResponse> | null)?.headers, 'set', 'has');
}

function nodeExchange(req: NodeRequest | undefined, res: NodeResponse): HttpExchange {
  return {
    peerAddress: req?.socket?.remoteAddress,
    setHeader(name, value) {
      if (res.headersSent || res.hasHeader(name)) return false;
      res.setHeader(name, value);
      return true;
    },
  };
}

/** Headers wait until the transport hands its Response back; after that the exchange is over. */
function webExchange(): { exchange: HttpExchange; applyTo(response: unknown): void } {
  const pending = new Map<string, string>();
  let answered = false;
  return {
    exchange: {
      peerAddress: undefined,
      setHeader(name, value) {
        if (answered) return false;
        pending.set(name, value);
        return true;
      },
    },
    applyTo(response) {
      answered = true;
      if (!isWebResponse(response)) return;
      for (const [name, value] of pending) {
        // A Response built by the transport has mutable headers; one that does not is left as it is.
        try {
          if (!response.headers.has(name)) response.headers.set(name, value);
        } catch {
          return;
        }
      }
    },
  };
}

function hookTransport(transport: unknown): void {
  const target = transport as { handleRequest?: HandleRequest } & Record<symbol, unknown>;
  if (typeof target !== 'object' || target === null || typeof target.handleRequest !== 'function' || target[HOOKED])
    return;
  const handleRequest = target.handleRequest;
  target[HOOKED] = true;
  target.handleRequest = function (this: unknown, ...args: unknown[]) {
    const [req, res] = args;
    if (isNodeResponse(res)) {
      exchanges.set(target, nodeExchange(req as NodeRequest, res));
      return handleRequest.apply(this, args);
    }
    const web = webExchange();
    exchanges.set(target, web.exchange);
    const out = handleRequest.apply(this, args);
    if (out === null || typeof out !== 'object' || typeof (out as Promise<unknown>).then !== 'function') return out;
    return (out as Promise<unknown>).then((response) => {
      web.applyTo(response);
      return response;
    });
  };
}

/** Hooks the transport the server is connected to, and every one it connects to later. */
export function observeHttpExchanges(server: ProtocolLike & { connect?: (transport: unknown) => unknown }): void {
  contain('http-exchange', () => hookTransport(server.transport), undefined);
  const connect = server.connect;
  if (typeof connect !== 'function') return;
  server.connect = function (this: unknown, transport: unknown) {
    contain('http-exchange', () => hookTransport(transport), undefined);
    return connect.call(this, transport);
  };
}
