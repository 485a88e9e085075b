import { detectShape } from './adapters/detect.js';
import { instrumentFastMcp, type FastMcpOwner } from './adapters/fastmcp.js';
import { recordInbound, wrapHandlerMap, type ProtocolLike } from './adapters/handler-map.js';
import { DEFAULT_ENDPOINT, flushAll, processorFor, shutdownAll } from './delivery/registry.js';
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

function createTracker(options: TrackOptions): Tracker | undefined {
  const projectKey = options.projectKey ?? env('MCPTRAIL_KEY');
  if (!projectKey) {
    logOnce('no-key', 'no projectKey (or MCPTRAIL_KEY): the server runs untracked');
    return undefined;
  }
  const endpoint = options.endpoint ?? env('MCPTRAIL_ENDPOINT') ?? DEFAULT_ENDPOINT;
  return new Tracker(options, processorFor({ endpoint, projectKey, delivery: options.delivery ?? {} }));
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
    const tracker = createTracker(options);
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

/** Delivers everything queued (bounded by `timeoutMs`, default 10 s). Never rejects. */
export async function flush(timeoutMs?: number): Promise<void> {
  try {
    await recordsSettled();
    await flushAll(timeoutMs);
  } catch (error) {
    logOnce('flush', 'flush() failed', error);
  }
}

/** Flushes, then stops timers. Never rejects. */
export async function shutdown(timeoutMs?: number): Promise<void> {
  try {
    await recordsSettled();
    await shutdownAll(timeoutMs);
  } catch (error) {
    logOnce('shutdown', 'shutdown() failed', error);
  }
}
