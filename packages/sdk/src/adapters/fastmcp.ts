import { contain, logOnce } from '../internal/log.js';
import type { FastMcpLike } from './detect.js';

/**
 * fastmcp creates a `FastMCPSession` (its v1 low-level Server is
 * `session.server`) per connection, and per request when stateless; those
 * never show on the instance. So the session class's `connect` is wrapped
 * once (the class is found by loading `fastmcp` at runtime and matching the
 * instance's prototype, ESM or CJS), and each session connecting is handed
 * to the tracked instance it belongs to (same server name and version).
 */
export interface FastMcpOwner {
  instance: FastMcpLike;
  /** Instruments one session's low-level server. */
  onSession(server: unknown): void;
  /** `stateless` detected from how the instance was started. */
  detectedStateless: boolean | undefined;
}

const owners = new Set<FastMcpOwner>();
const PATCHED = Symbol.for('mcptrail.fastmcpSessionPatched');

function serverIdentity(server: unknown): { name?: unknown; version?: unknown } | undefined {
  return (server as { _serverInfo?: { name?: unknown; version?: unknown } } | null)?._serverInfo;
}

/** The tracked instance with this session's server name and version; the newest wins. */
function ownerOf(session: { server?: unknown }): FastMcpOwner | undefined {
  const info = serverIdentity(session.server);
  for (const owner of [...owners].reverse()) {
    const options = owner.instance.options;
    if (options && options.name === info?.name && options.version === info?.version) return owner;
  }
  return undefined;
}

/** argv `--name value`, as fastmcp reads it. */
function argValue(name: string): string | undefined {
  const args = process.argv.slice(2);
  const index = args.indexOf(`--${name}`);
  return index !== -1 && index + 1 < args.length ? args[index + 1] : undefined;
}

/**
 * fastmcp's own rule (`#parseRuntimeConfig`): HTTP stream transport started with
 * `httpStream.stateless`, `--stateless true` or `FASTMCP_STATELESS=true`.
 */
export function fastMcpStartsStateless(options: unknown): boolean {
  const o = (options ?? {}) as { transportType?: unknown; httpStream?: { stateless?: unknown } };
  const transportArg = argValue('transport');
  const transport =
    o.transportType ||
    (transportArg === 'http-stream' ? 'httpStream' : transportArg) ||
    process.env.FASTMCP_TRANSPORT ||
    'stdio';
  if (transport !== 'httpStream') return false;
  return (
    Boolean(o.httpStream?.stateless) || argValue('stateless') === 'true' || process.env.FASTMCP_STATELESS === 'true'
  );
}

type SessionClass = { prototype: { connect?: (...args: unknown[]) => Promise<unknown> } };
type FastMcpModule = { FastMCP?: abstract new (...args: never[]) => unknown; FastMCPSession?: SessionClass };

async function loadCandidates(): Promise<FastMcpModule[]> {
  const specifier = 'fastmcp';
  const found: FastMcpModule[] = [];
  try {
    found.push((await import(/* @vite-ignore */ specifier)) as FastMcpModule);
  } catch {
    // Not loadable as ESM from here.
  }
  try {
    const nodeModule = (process as unknown as { getBuiltinModule?(id: string): unknown }).getBuiltinModule?.(
      'node:module',
    ) as { createRequire(from: string): (id: string) => unknown } | undefined;
    if (nodeModule) found.push(nodeModule.createRequire(`${process.cwd()}/`)(specifier) as FastMcpModule);
  } catch {
    // Not loadable as CJS from here.
  }
  return found;
}

function patchSessionClass(sessionClass: SessionClass): void {
  const proto = sessionClass.prototype as Record<string | symbol, unknown> & SessionClass['prototype'];
  if (proto[PATCHED] || typeof proto.connect !== 'function') return;
  const connect = proto.connect;
  proto.connect = function (this: { server?: unknown }, ...args: unknown[]) {
    contain('fastmcp-session', () => ownerOf(this)?.onSession(this.server), undefined);
    return connect.apply(this, args);
  };
  proto[PATCHED] = true;
}

const readiness = new WeakMap<object, Promise<void>>();

/** Finds and patches the session class of this instance's fastmcp copy. */
function ensurePatched(instance: FastMcpLike): Promise<void> {
  let ready = readiness.get(instance);
  if (!ready) {
    ready = loadCandidates()
      .then((modules) => {
        const match = modules.find((m) => typeof m.FastMCP === 'function' && instance instanceof m.FastMCP);
        if (match?.FastMCPSession) patchSessionClass(match.FastMCPSession);
        else
          logOnce(
            'fastmcp-class',
            'could not find the FastMCPSession class of this fastmcp copy; ' +
              'sessions created from now on are not tracked',
          );
      })
      .catch((error: unknown) => logOnce('fastmcp-load', 'could not load fastmcp', error));
    readiness.set(instance, ready);
  }
  return ready;
}

export function instrumentFastMcp(owner: FastMcpOwner): void {
  const { instance } = owner;
  owners.add(owner);
  const ready = ensurePatched(instance);
  // Sessions that exist already (track() after start()).
  for (const session of instance.sessions) contain('fastmcp-session', () => owner.onSession(session.server), undefined);
  const start = instance.start;
  instance.start = async function (this: unknown, options?: unknown) {
    contain('fastmcp-detect', () => (owner.detectedStateless = fastMcpStartsStateless(options)), false);
    await ready;
    return start.call(this, options);
  };
  const connect = instance.connect;
  if (typeof connect === 'function') {
    instance.connect = async function (this: unknown, ...args: unknown[]) {
      await ready;
      return connect.apply(this, args);
    };
  }
}
