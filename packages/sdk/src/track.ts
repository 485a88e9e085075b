import { detectShape } from './adapters/detect.js';
import { instrumentFastMcp, type FastMcpOwner } from './adapters/fastmcp.js';
import { recordInbound, wrapHandlerMap, type ProtocolLike } from './adapters/handler-map.js';
import { observeHttpExchanges } from './adapters/http-exchange.js';
import { installExitHooks } from './delivery/exit-hooks.js';
import {
  DEFAULT_ENDPOINT,
  flushAll,
  pendingEvents,
  processorFor,
  shutdownAll,
  shutdownOnce,
} from './delivery/registry.js';
import { debug, logOnce } from './internal/log.js';
import { recordsSettled, Tracker, unsettledRecords, type ServerState } from './tracker.js';
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
  installExitHooks(drain, undeliveredEvents);
  // After shutdown() this is a stopped processor: the server's events are dropped and counted.
  return new Tracker(options, projectKey, processorFor({ endpoint, projectKey, delivery: options.delivery ?? {} }));
}

/**
 * Events not delivered yet: queued or being sent, and those of answered requests not built yet (waiting on identify).
 */
function undeliveredEvents(): number {
  return pendingEvents() + unsettledRecords();
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
          if (inner.kind === 'protocol' || inner.kind === 'high-level')
            instrumentServer(inner.server, tracker, () => options.stateless ?? owner.detectedStateless);
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

/**
 * Resolves when `promise` does or `ms` pass, whichever first. Only with
 * `holdProcess` does the wait keep the process alive: an awaited flush() must
 * be seen to resolve, or the code after it never runs when nothing else is left to do.
 */
function bounded(promise: Promise<void>, ms: number, holdProcess = false): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, ms));
    if (!holdProcess) timer.unref?.();
    void promise.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const DEFAULT_FLUSH_MS = 10_000;
/**
 * The work behind flush() and shutdown() ends by their deadline on its own timers; the hold outlasts it by this much,
 * in case.
 */
const HOLD_GRACE_MS = 250;

/**
 * Waits (bounded) for the events of answered requests to be queued, then gives `deliver` the time left. Never rejects.
 */
async function afterRecords(
  timeoutMs: number,
  deliver: (timeoutMs: number) => Promise<void>,
  name: string,
): Promise<void> {
  try {
    const deadline = Date.now() + timeoutMs;
    await bounded(recordsSettled(), timeoutMs);
    await deliver(Math.max(1, deadline - Date.now()));
  } catch (error) {
    logOnce(name, `${name}() failed`, error);
  }
}

/** flush() without holding the process: the exit drain, which must never keep a process from exiting. */
const drain = (timeoutMs: number) => afterRecords(timeoutMs, flushAll, 'flush');

/**
 * Delivers everything queued, and the events of requests already answered;
 * resolves when done or at `timeoutMs` (default 10 s), keeping the process
 * alive until then. Never rejects.
 */
export function flush(timeoutMs = DEFAULT_FLUSH_MS): Promise<void> {
  return bounded(drain(timeoutMs), timeoutMs + HOLD_GRACE_MS, true);
}

/**
 * Once-only and terminal: flushes (bounded like flush()), then drops and
 * counts what is left, closes connections, and drops and counts every later
 * event. Later calls get the first call's promise. Never rejects.
 */
export function shutdown(timeoutMs = DEFAULT_FLUSH_MS): Promise<void> {
  return shutdownOnce(() => bounded(afterRecords(timeoutMs, shutdownAll, 'shutdown'), timeoutMs + HOLD_GRACE_MS, true));
}
