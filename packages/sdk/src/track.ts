import { detectShape } from './adapters/detect.js';
import { instrumentFastMcp, type FastMcpOwner } from './adapters/fastmcp.js';
import { recordInbound, wrapHandlerMap, type ProtocolLike } from './adapters/handler-map.js';
import { observeHttpExchanges } from './adapters/http-exchange.js';
import { installExitHooks } from './delivery/exit-hooks.js';
import { DEFAULT_ENDPOINT, flushAll, pendingEvents, processorFor, shutdownAll } from './delivery/registry.js';
import { debug, logOnce } from './internal/log.js';
import { recordsSettled, Tracker, type ServerState } from './tracker.js';
import type { TrackOptions } from './types.js';

/**
 * Marks what track() was given, and each low-level server whose handlers are
 * wrapped; `Symbol.for` so the ESM and CJS builds agree (track() twice is harmless).
 */
const TRACKED = Symbol.for('mcptrail.tracked');
const INSTRUMENTED = Symbol.for('mcptrail.instrumented');

type Marked = Record<symbol, unknown>;

function env(name: string): string | undefined {
  return typeof process !== 'undefined' ? process.env?.[name] || undefined : undefined;
}

/** Per-request servers (createMcpHandler) usually pass the same options object: one tracker for all. */
const trackers = new WeakMap<TrackOptions, Tracker>();

function trackerFor(options: TrackOptions): Tracker | undefined {
  let tracker = trackers.get(options);
  if (!tracker) {
    tracker = createTracker(options);
    if (tracker) trackers.set(options, tracker);
  }
  return tracker;
}

function createTracker(options: TrackOptions): Tracker | undefined {
  const projectKey = options.projectKey ?? env('MCPTRAIL_KEY');
  if (!projectKey) {
    logOnce('no-key', 'no projectKey (or MCPTRAIL_KEY): the server runs untracked');
    return undefined;
  }
  const endpoint = options.endpoint ?? env('MCPTRAIL_ENDPOINT') ?? DEFAULT_ENDPOINT;
  installExitHooks(flush, pendingEvents);
  const destination = { endpoint, projectKey, delivery: options.delivery ?? {} };
  // After shutdown() servers already tracked keep working: the tracker looks the (new) processor up again.
  return new Tracker(options, projectKey, () => processorFor(destination));
}

function instrumentServer(server: ProtocolLike, tracker: Tracker, forced: () => boolean | undefined): void {
  const marked = server as unknown as Marked;
  if (marked[INSTRUMENTED]) {
    debug('track(): server already tracked');
    return;
  }
  marked[INSTRUMENTED] = true;
  const state: ServerState = {
    tracker,
    server,
    inbound: recordInbound(server),
    get forced() {
      return forced();
    },
  };
  wrapHandlerMap(server, (request, extra, invoke) => tracker.intercept(state, request, extra, invoke));
  observeHttpExchanges(server);
}

/**
 * Instruments an MCP server (v1 or v2 `McpServer` / `Server`, or a fastmcp
 * instance) and returns it. Never throws, never changes what the server answers.
 */
export function track<T>(server: T, options: TrackOptions = {}): T {
  try {
    if (options.enabled === false || server === null || typeof server !== 'object') return server;
    if ((server as Marked)[TRACKED]) return server;
    const shape = detectShape(server);
    if (shape.kind === 'unknown') {
      logOnce('shape', 'track(): not an MCP server this SDK knows (McpServer, Server or FastMCP); left untracked');
      return server;
    }
    const tracker = trackerFor(options);
    if (!tracker) return server;
    (server as Marked)[TRACKED] = true;
    if (shape.kind === 'fastmcp') {
      const owner: FastMcpOwner = {
        instance: shape.instance,
        detectedStateless: undefined,
        onSession: (session) => {
          const inner = detectShape(session);
          if (inner.kind === 'protocol' || inner.kind === 'high-level') instrumentServer(inner.server, tracker, () => options.stateless ?? owner.detectedStateless);
        },
      };
      instrumentFastMcp(owner);
    } else {
      instrumentServer(shape.server, tracker, () => options.stateless);
    }
  } catch (error) {
    logOnce('track', 'track() could not instrument the server; it runs untracked', error);
  }
  return server;
}

/** Resolves when `promise` does or `ms` pass, whichever first (never keeps the process alive). */
function bounded(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, ms));
    timer.unref?.();
    void promise.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const DEFAULT_FLUSH_MS = 10_000;

/** Delivers everything queued, and the events of requests already answered (bounded by `timeoutMs`, default 10 s). Never rejects. */
export async function flush(timeoutMs = DEFAULT_FLUSH_MS): Promise<void> {
  try {
    const deadline = Date.now() + timeoutMs;
    await bounded(recordsSettled(), timeoutMs);
    await flushAll(Math.max(1, deadline - Date.now()));
  } catch (error) {
    logOnce('flush', 'flush() failed', error);
  }
}

/** Flushes, then stops timers and forgets the queues. Never rejects. */
export async function shutdown(timeoutMs = DEFAULT_FLUSH_MS): Promise<void> {
  try {
    const deadline = Date.now() + timeoutMs;
    await bounded(recordsSettled(), timeoutMs);
    await shutdownAll(Math.max(1, deadline - Date.now()));
  } catch (error) {
    logOnce('shutdown', 'shutdown() failed', error);
  }
}
