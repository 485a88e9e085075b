import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { EventBatch, WireEvent } from '@mcptrail/protocol';
import { afterAll, beforeAll } from 'vitest';
import { shutdown } from '../src/index.js';

/**
 * What the stand-in collector does with one POST: answers `status` with
 * `body` as JSON (or `text` as it is), or misbehaves (`fault`), or passes the
 * request on to the real collector behind it (`forward`, see `upstream`).
 */
export type Reply =
  | { status: number; headers?: Record<string, string>; body?: unknown; text?: string }
  | { fault: 'hang' | 'reset' }
  /** Answers 200 and then sends one byte every `everyMs`, never ending. */
  | { fault: 'trickle'; everyMs: number }
  | { forward: true };

export interface ReceivedBatch extends EventBatch {
  events: WireEvent[];
  headers: IncomingMessage['headers'];
  /** The body as received (compressed when it was). */
  bytes: number;
  /** The answer's status; 0 when the request was not answered (a fault). */
  status: number;
  /** Answered 2xx with the collector's answer (the events were taken). */
  delivered: boolean;
}

export interface CaptureServer {
  url: string;
  port: number;
  /** Every POST /v1/events received, answered or not. */
  batches: ReceivedBatch[];
  /** Events in batches answered with a collector's 2xx answer. */
  accepted(): WireEvent[];
  /** The accepted events, and every batch forgotten: what a test's SDK sent since the last call. */
  takeAccepted(): WireEvent[];
  /** Sets how the next POSTs are answered (default: 200 with an IngestResult, or `forward` with an upstream). */
  reply(fn: (batch: ReceivedBatch, n: number) => Reply): void;
  /** Resolves when `predicate` holds over the accepted events (checked on each POST). */
  until(predicate: (events: WireEvent[]) => boolean): Promise<WireEvent[]>;
  /** TCP connections open now (the SDK's keep-alive sockets among them). */
  readonly openConnections: number;
  close(): Promise<void>;
}

export interface CaptureServerOptions {
  port?: number;
  /** A real collector's base URL: `{ forward: true }` replies pass requests on to it and relay its answer. */
  upstream?: string;
}

const ok = (batch: ReceivedBatch): Reply => ({
  status: 200,
  body: { accepted: batch.events.length, duplicates: 0, rejected: [] },
});

async function forward(
  upstream: string,
  req: IncomingMessage,
  raw: Buffer,
): Promise<{ status: number; headers: Record<string, string>; text: string }> {
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'content-type', 'content-encoding', 'user-agent']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const res = await fetch(`${upstream}${req.url}`, { method: 'POST', headers, body: raw });
  const retryAfter = res.headers.get('retry-after');
  return { status: res.status, headers: retryAfter ? { 'retry-after': retryAfter } : {}, text: await res.text() };
}

/**
 * A real HTTP endpoint on loopback that records what the SDK sends: a
 * stand-in collector for delivery tests, which can also play a broken one
 * (or a broken proxy in front of a real one).
 */
export async function startCaptureServer(options: CaptureServerOptions | number = {}): Promise<CaptureServer> {
  const { port = 0, upstream } = typeof options === 'number' ? { port: options } : options;
  const batches: ReceivedBatch[] = [];
  let responder: (batch: ReceivedBatch, n: number) => Reply = upstream ? () => ({ forward: true }) : ok;
  let waiters: Array<() => void> = [];
  const sockets = new Set<Socket>();
  const acceptedEvents = (): WireEvent[] => batches.filter((b) => b.delivered).flatMap((b) => b.events);
  const record = (batch: ReceivedBatch) => {
    batches.push(batch);
    const current = waiters;
    waiters = [];
    for (const wake of current) wake();
  };

  const answer = async (req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> => {
    const json = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
    const parsed = JSON.parse(json.toString('utf8')) as EventBatch;
    const batch: ReceivedBatch = {
      ...parsed,
      events: parsed.events as WireEvent[],
      headers: req.headers,
      bytes: raw.length,
      status: 0,
      delivered: false,
    };
    const reply = responder(batch, batches.length);
    if ('fault' in reply) {
      record(batch);
      if (reply.fault === 'reset') req.socket.resetAndDestroy();
      if (reply.fault === 'trickle') {
        res.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => res.write(' '), reply.everyMs);
        res.on('close', () => clearInterval(timer));
      }
      return;
    }
    const answered =
      'forward' in reply
        ? await forward(upstream!, req, raw)
        : {
            status: reply.status,
            headers: reply.headers ?? {},
            text: reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body)),
          };
    batch.status = answered.status;
    batch.delivered =
      answered.status >= 200 &&
      answered.status < 300 &&
      ('forward' in reply || (reply.text === undefined && reply.body !== undefined));
    record(batch);
    res.writeHead(answered.status, { 'content-type': 'application/json', ...answered.headers });
    res.end(answered.text);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/events') {
        res.writeHead(404).end();
        return;
      }
      answer(req, res, Buffer.concat(chunks)).catch((error: unknown) => res.destroy(error as Error));
    });
  });
  // Idle connections stay until the SDK closes them (shutdown() must), not until a server timeout does.
  server.keepAliveTimeout = 10 * 60_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    batches,
    accepted: acceptedEvents,
    takeAccepted() {
      const events = acceptedEvents();
      batches.length = 0;
      return events;
    },
    reply(fn) {
      responder = fn;
    },
    async until(predicate) {
      while (!predicate(acceptedEvents())) await new Promise<void>((resolve) => waiters.push(resolve));
      return acceptedEvents();
    },
    get openConnections() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A capture server for the enclosing suite (or file): started before its
 * tests, closed after them once the SDK has shut down. Call the result for it.
 */
export function captureServerForSuite(): () => CaptureServer {
  let server: CaptureServer | undefined;
  beforeAll(async () => {
    server = await startCaptureServer();
  });
  afterAll(async () => {
    await shutdown();
    await server?.close();
  });
  return () => server!;
}
