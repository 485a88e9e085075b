import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { EventBatch, WireEvent } from '@mcptrail/protocol';
import { afterAll, beforeAll } from 'vitest';
import { shutdown } from '../src/index.js';

/** What the fake collector answers to one POST: a status, headers, and a body. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ReceivedBatch extends EventBatch {
  events: WireEvent[];
  headers: IncomingMessage['headers'];
  status: number;
}

export interface CaptureServer {
  url: string;
  port: number;
  /** Every POST /v1/events received, answered or not. */
  batches: ReceivedBatch[];
  /** Events in batches answered 2xx. */
  accepted(): WireEvent[];
  /** Sets how the next POSTs are answered (default: 200 with an IngestResult). */
  reply(fn: (batch: ReceivedBatch, n: number) => Reply): void;
  /** Resolves when `predicate` holds over the accepted events (checked on each POST). */
  until(predicate: (events: WireEvent[]) => boolean): Promise<WireEvent[]>;
  close(): Promise<void>;
}

const ok = (batch: ReceivedBatch): Reply => ({ status: 200, body: { accepted: batch.events.length, duplicates: 0, rejected: [] } });

/** A real HTTP endpoint on loopback that records what the SDK sends: a stand-in collector for delivery tests. */
export async function startCaptureServer(port = 0): Promise<CaptureServer> {
  const batches: ReceivedBatch[] = [];
  let responder: (batch: ReceivedBatch, n: number) => Reply = ok;
  let waiters: Array<() => void> = [];
  const acceptedEvents = (): WireEvent[] => batches.filter((b) => b.status >= 200 && b.status < 300).flatMap((b) => b.events);

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/events') {
        res.writeHead(404).end();
        return;
      }
      let raw = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
      const parsed = JSON.parse(raw.toString('utf8')) as EventBatch;
      const batch: ReceivedBatch = { ...parsed, events: parsed.events as WireEvent[], headers: req.headers, status: 0 };
      const reply = responder(batch, batches.length);
      batch.status = reply.status;
      batches.push(batch);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      const current = waiters;
      waiters = [];
      for (const wake of current) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    batches,
    accepted: acceptedEvents,
    reply(fn) {
      responder = fn;
    },
    async until(predicate) {
      while (!predicate(acceptedEvents())) await new Promise<void>((resolve) => waiters.push(resolve));
      return acceptedEvents();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
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
