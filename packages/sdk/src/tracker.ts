import type { WireEvent } from '@mcptrail/protocol';
import type { ObservedRequest } from './adapters/observed-request.js';
import { ENVELOPE_PROTOCOL_VERSION, isModernRequest, isRecord, type RequestView } from './adapters/request-view.js';
import { V1RequestView, type InboundExtra, type V1Extra } from './adapters/sdk-v1.js';
import { isV2Context, V2RequestView } from './adapters/sdk-v2.js';
import type { InboundLog, ProtocolLike } from './adapters/handler-map.js';
import { buildEvent, cleanTags, type CaptureConfig } from './capture/build-event.js';
import { exchangeOf, type HttpExchange } from './adapters/http-exchange.js';
import { clientAddressOf } from './capture/client-address.js';
import { Fingerprints, protocolVersionForFingerprint } from './capture/client-fingerprint.js';
import { namesItsClient, resolveClient } from './capture/client-identity.js';
import { issueConversationToken, readConversationToken, type Conversation } from './capture/conversation-token.js';
import { createKeyedHash, type KeyedHash } from './capture/keyed-hash.js';
import { awaitIdentity, Identifier } from './capture/identify.js';
import { sensitiveKeyTest } from './capture/redact.js';
import { connectionIdOf } from './capture/connection-id.js';
import { decideSession, type SessionDecision } from './capture/session.js';
import { transportNameOf } from './capture/transport-name.js';
import { DEFAULT_MAX_PAYLOAD_BYTES, sanitize, WIRE_MAX_PAYLOAD_BYTES } from './capture/truncate.js';
import type { BatchProcessor } from './delivery/processor.js';
import { newId } from './internal/ids.js';
import { contain, logOnce } from './internal/log.js';
import type { ClientInfo, RequestContext, RequestInfo, TrackOptions, UserIdentity } from './types.js';

/** One instrumented low-level server. */
export interface ServerState {
  tracker: Tracker;
  server: ProtocolLike;
  /** Transport extras by request id (see recordInbound). */
  inbound: InboundLog;
  /** `stateless` as forced by the option or detected (fastmcp); undefined: per request. */
  forced: boolean | undefined;
  /** Remembered from this server's `initialize` answer. */
  protocolVersion?: string;
}

/** Everything kept from arrival to event; built into an event off the response path. */
interface PendingRecord {
  state: ServerState;
  request: RequestInfo;
  extra: unknown;
  /** The transport's own extra, when the protocol rebuilt it without the headers. */
  inbound: unknown;
  transport: unknown;
  /** The HTTP exchange the request came in, when the transport exposes it. */
  exchange: HttpExchange | undefined;
  /** Set on an `initialize` answered with a conversation token. */
  issued?: Conversation;
  timestamp: number;
  start: number;
  durationMs: number;
  ok: boolean;
  outcome: unknown;
  completed?: boolean;
  view?: RequestView;
  session?: SessionDecision;
  /** The conversation the request's token names; null when it has none (memo). */
  conversation?: Conversation | null;
  context?: RequestContext;
  identity?: Promise<UserIdentity | null>;
  /** Set when the record is scheduled (see recordsSettled). */
  generation: Generation;
}

/** v1 `extra.requestId`, v2 `ctx.mcpReq.id`. */
function requestIdOf(extra: unknown): unknown {
  const e = extra as { requestId?: unknown; mcpReq?: { id?: unknown } } | undefined;
  return e?.requestId ?? e?.mcpReq?.id;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/* Records finished in this turn are turned into events on the next (setImmediate). */
let pendingRecords: PendingRecord[] = [];
let drainScheduled = false;
const defer: (fn: () => void) => void =
  typeof setImmediate === 'function' ? (fn) => setImmediate(fn) : (fn) => setTimeout(fn, 0);

/**
 * Finished requests whose events are not queued yet, counted by generation:
 * each flush() closes the current one and waits only for the generations closed
 * so far, so traffic that keeps arriving never holds it up.
 */
interface Generation {
  outstanding: number;
  /** Set when a flush closed it; resolved when its last record settles. */
  done?: () => void;
  settledPromise?: Promise<void>;
}

let current: Generation = { outstanding: 0 };
/** Closed generations with records still outstanding. */
const closed = new Set<Generation>();

function settled(record: PendingRecord): void {
  const generation = record.generation;
  if (--generation.outstanding === 0 && generation.done) {
    closed.delete(generation);
    generation.done();
  }
}

/** Answered requests whose events are not queued yet (being built, or waiting on identify). */
export function unsettledRecords(): number {
  let n = current.outstanding;
  for (const generation of closed) n += generation.outstanding;
  return n;
}

/** Resolves once the event of every request finished before this call is queued (or dropped by `redact`). */
export function recordsSettled(): Promise<void> {
  if (current.outstanding > 0) {
    const generation = current;
    generation.settledPromise = new Promise<void>((resolve) => {
      generation.done = resolve;
    });
    closed.add(generation);
    current = { outstanding: 0 };
  }
  if (closed.size === 0) return Promise.resolve();
  return Promise.all([...closed].map((g) => g.settledPromise)).then(() => undefined);
}

function drainRecords(): void {
  drainScheduled = false;
  const records = pendingRecords;
  pendingRecords = [];
  for (const record of records) {
    let async = false;
    try {
      async = record.state.tracker.finish(record, settled);
    } catch (error) {
      logOnce('build', 'internal error while building an event', error);
    }
    if (!async) settled(record);
  }
}

function schedule(record: PendingRecord): void {
  record.generation = current;
  current.outstanding++;
  pendingRecords.push(record);
  if (!drainScheduled) {
    drainScheduled = true;
    defer(drainRecords);
  }
}

const MCP_SESSION_ID = 'mcp-session-id';

function transportSessionIdOf(transport: unknown): unknown {
  return (transport as { sessionId?: unknown } | null | undefined)?.sessionId;
}

export class Tracker {
  private readonly capture: CaptureConfig;
  private readonly identifier: Identifier | undefined;
  private readonly identifyTimeoutMs: number;
  /** Client fingerprints of stateless requests (docs/adr/0104); undefined without node:crypto. */
  private readonly fingerprints: Fingerprints | undefined;
  /** Signs and checks conversation tokens. */
  private readonly tokenHash: KeyedHash | undefined;
  private readonly issuesTokens: boolean;

  /**
   * `projectKey` keys the fingerprints (and, by default, conversation tokens): every
   * process of the server has it. After shutdown() `processor` is a stopped one: events are dropped and counted.
   */
  constructor(
    readonly options: TrackOptions,
    projectKey: string,
    private readonly processor: BatchProcessor,
  ) {
    const hash = createKeyedHash(projectKey);
    this.fingerprints = hash ? new Fingerprints(hash) : undefined;
    const token = options.conversationToken;
    this.tokenHash =
      typeof token === 'object' && token !== null && typeof token.secret === 'string'
        ? createKeyedHash(token.secret)
        : hash;
    this.issuesTokens = Boolean(token) && this.tokenHash !== undefined;
    if (!hash) logOnce('no-crypto', 'node:crypto is not available: no client fingerprints or conversation tokens');
    const maxBytes = Math.min(
      WIRE_MAX_PAYLOAD_BYTES,
      Math.max(256, options.capture?.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES),
    );
    this.capture = {
      arguments: options.capture?.arguments !== false,
      results: options.capture?.results !== false,
      // Without a redact hook nothing can touch the event between building and serializing it.
      sanitize: {
        isSensitive: sensitiveKeyTest(options.capture?.sensitiveKeys),
        maxBytes,
        shareClean: typeof options.redact !== 'function',
      },
    };
    this.identifier = typeof options.identify === 'function' ? new Identifier(options.identify) : undefined;
    this.identifyTimeoutMs = options.identifyTimeoutMs ?? 1000;
  }

  /** The hot path: a few property reads and one closure; everything else happens after the answer. */
  intercept(state: ServerState, request: unknown, extra: unknown, invoke: () => unknown): unknown {
    let record: PendingRecord | undefined;
    try {
      const r = request as RequestInfo;
      record = {
        state,
        request: r,
        extra,
        inbound: state.inbound.take(requestIdOf(extra)),
        transport: state.server.transport,
        exchange: exchangeOf(state.server.transport),
        timestamp: Date.now(),
        start: performance.now(),
        durationMs: 0,
        ok: true,
        outcome: undefined,
        generation: current,
      };
      if (this.issuesTokens && r.method === 'initialize') this.answerWithToken(state, record);
      if (this.identifier) {
        const started = record;
        queueMicrotask(() => contain('identify-start', () => this.beginIdentify(started), undefined));
      }
    } catch (error) {
      logOnce('intercept', 'internal error before a handler', error);
    }
    let out: unknown;
    try {
      out = invoke();
    } catch (error) {
      if (record) this.complete(record, false, error);
      throw error;
    }
    if (record) {
      const rec = record;
      try {
        if (out !== null && typeof out === 'object' && typeof (out as Promise<unknown>).then === 'function') {
          (out as Promise<unknown>).then(
            (result) => this.complete(rec, true, result),
            (error: unknown) => this.complete(rec, false, error),
          );
        } else this.complete(rec, true, out);
      } catch (error) {
        logOnce('observe', 'could not observe a handler result', error);
      }
    }
    return out;
  }

  /**
   * Sets a conversation token as the `Mcp-Session-Id` of a stateless `initialize`
   * answer, before the handler runs (the transport may send headers right after).
   */
  private answerWithToken(state: ServerState, record: PendingRecord): void {
    if (
      !record.exchange ||
      !this.tokenHash ||
      state.forced === false ||
      transportSessionIdOf(record.transport) !== undefined
    )
      return;
    const clientInfo = isRecord(record.request.params) ? record.request.params.clientInfo : undefined;
    const named =
      isRecord(clientInfo) && typeof clientInfo.name === 'string' && clientInfo.name
        ? { name: clientInfo.name, version: str(clientInfo.version) ?? null }
        : undefined;
    const { token, conversation } = issueConversationToken(named, this.tokenHash);
    if (record.exchange.setHeader(MCP_SESSION_ID, token)) record.issued = conversation;
  }

  private complete(record: PendingRecord, ok: boolean, outcome: unknown): void {
    try {
      if (record.completed) return;
      record.completed = true;
      record.durationMs = performance.now() - record.start;
      record.ok = ok;
      record.outcome = outcome;
      schedule(record);
    } catch (error) {
      logOnce('complete', 'internal error after a handler', error);
    }
  }

  private viewOf(record: PendingRecord): RequestView {
    if (!record.view) {
      const extra = record.extra;
      record.view = isV2Context(extra)
        ? new V2RequestView(extra)
        : new V1RequestView(
            (extra ?? {}) as V1Extra,
            record.request.params,
            record.inbound as InboundExtra | undefined,
          );
    }
    return record.view;
  }

  private sessionOf(record: PendingRecord): SessionDecision {
    if (!record.session) {
      const view = this.viewOf(record);
      record.session = decideSession({
        forced: record.state.forced,
        modern: isModernRequest(view),
        http: view.http,
        transportSessionId: view.transportSessionId,
        connectionId: () => connectionIdOf(record.transport ?? record.state.server),
      });
    }
    return record.session;
  }

  /** The conversation of a stateless request: the one its `initialize` answer started, or the one its token names. */
  private conversationOf(record: PendingRecord): Conversation | undefined {
    if (record.conversation === undefined) {
      const view = this.viewOf(record);
      record.conversation =
        record.issued ??
        (this.tokenHash && this.sessionOf(record).stateless
          ? readConversationToken(view.header(MCP_SESSION_ID), this.tokenHash)
          : undefined) ??
        null;
    }
    return record.conversation ?? undefined;
  }

  private clientOf(record: PendingRecord): ClientInfo | undefined {
    const { request, state } = record;
    const connection =
      request.method === 'initialize'
        ? request.params?.clientInfo
        : contain('client', () => state.server.getClientVersion?.(), undefined);
    return resolveClient(this.viewOf(record), connection, this.conversationOf(record)?.client);
  }

  private clientAddressOf(record: PendingRecord): string | undefined {
    return clientAddressOf(
      this.viewOf(record).header('x-forwarded-for'),
      record.exchange?.peerAddress,
      this.options.trustProxy === true,
    );
  }

  /**
   * For a stateless request of a client that names itself only in `initialize`
   * (2025 revisions): what its conversation's requests share (docs/adr/0104).
   */
  private fingerprintOf(record: PendingRecord, view: RequestView): string | undefined {
    if (!this.fingerprints || !this.sessionOf(record).stateless || this.conversationOf(record) || namesItsClient(view))
      return undefined;
    const { request } = record;
    const negotiated = record.ok && isRecord(record.outcome) ? str(record.outcome.protocolVersion) : undefined;
    return this.fingerprints.of({
      userAgent: view.header('user-agent'),
      clientHeader:
        view.header('x-mcp-client-name') &&
        `${view.header('x-mcp-client-name')}/${view.header('x-mcp-client-version') ?? ''}`,
      protocolVersion: protocolVersionForFingerprint(
        request.method,
        negotiated ?? str(request.params?.protocolVersion),
        view.header('mcp-protocol-version'),
      ),
      address: this.clientAddressOf(record),
    });
  }

  private contextOf(record: PendingRecord): RequestContext {
    if (!record.context) {
      const view = this.viewOf(record);
      let headers: Record<string, string> | undefined | null = null;
      let client: ClientInfo | undefined | null = null;
      const clientOf = () => this.clientOf(record);
      const addressOf = () => this.clientAddressOf(record);
      record.context = {
        get headers() {
          if (headers === null) headers = view.headers();
          return headers;
        },
        authInfo: view.authInfo,
        sessionId: view.transportSessionId,
        get clientAddress() {
          return addressOf();
        },
        get clientInfo() {
          if (client === null) client = clientOf();
          return client;
        },
        meta: view.meta(),
        raw: view.raw,
      };
    }
    return record.context;
  }

  private beginIdentify(record: PendingRecord): void {
    if (!this.identifier || record.identity) return;
    const session = this.sessionOf(record);
    record.identity = this.identifier.start(
      record.request,
      this.contextOf(record),
      session.stateless ? null : session.sessionId,
    );
  }

  /**
   * Off the response path: waits for identify (bounded), builds, redacts and
   * queues the event. Returns true when it went async (then `done` is called).
   */
  finish(record: PendingRecord, done: (record: PendingRecord) => void): boolean {
    if (this.identifier) {
      this.beginIdentify(record);
      if (record.identity) {
        void awaitIdentity(record.identity, record.timestamp, this.identifyTimeoutMs)
          .then((user) => contain('build', () => this.emit(record, user), undefined))
          .finally(() => done(record));
        return true;
      }
    }
    this.emit(record, null);
    return false;
  }

  private protocolVersionOf(record: PendingRecord, view: RequestView): string | undefined {
    const { state, request } = record;
    if (request.method === 'initialize' && record.ok && isRecord(record.outcome)) {
      const negotiated = str(record.outcome.protocolVersion);
      if (negotiated) state.protocolVersion = negotiated;
    }
    return (
      str(view.envelope()?.[ENVELOPE_PROTOCOL_VERSION]) ??
      str(view.header('mcp-protocol-version')) ??
      state.protocolVersion ??
      str(contain('protocol-version', () => state.server.getNegotiatedProtocolVersion?.(), undefined))
    );
  }

  private emit(record: PendingRecord, user: UserIdentity | null): void {
    const view = this.viewOf(record);
    const info = record.state.server._serverInfo;
    const observed: ObservedRequest = {
      method: String(record.request.method),
      params: isRecord(record.request.params) ? record.request.params : undefined,
      view,
      timestamp: record.timestamp,
      durationMs: record.durationMs,
      ok: record.ok,
      outcome: record.outcome,
      sessionId: this.sessionOf(record).sessionId,
      conversationId: this.conversationOf(record)?.id,
      client: this.clientOf(record),
      clientFingerprint: this.fingerprintOf(record, view),
      server:
        info && typeof info.name === 'string' ? { name: info.name, version: str(info.version) ?? null } : undefined,
      protocolVersion: this.protocolVersionOf(record, view),
      transport: transportNameOf(view, record.transport),
    };
    let event: WireEvent = buildEvent(newId(), observed, user, this.capture);
    const { tags, properties, redact } = this.options;
    if (tags) {
      const cleaned = cleanTags(contain('tags', () => tags(record.request, this.contextOf(record)), null));
      if (cleaned) event.tags = cleaned;
    }
    if (properties) {
      const props = contain('properties', () => properties(record.request, this.contextOf(record)), null);
      if (isRecord(props)) event.properties = sanitize(props, this.capture.sanitize) as Record<string, unknown>;
    }
    if (redact) {
      try {
        const out = redact(event);
        // null drops the event; undefined keeps it (a hook that edits in place and returns nothing).
        if (out === null) return;
        if (out !== undefined) event = out;
      } catch (error) {
        // A throwing hook drops the event rather than risk sending what it meant to hide.
        logOnce('redact', 'redact() threw; the event was dropped', error);
        return;
      }
    }
    this.processor.enqueue(event);
  }
}
