/**
 * Delivery against a real HTTP endpoint on loopback: batching, retries
 * (429 + Retry-After, 5xx, 4xx not retried), overflow counting, a collector
 * that is down and then up, gzip, and a collector (or proxy) that misbehaves:
 * answers 200 with HTML, trickles, hangs, resets, refuses large bodies.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WireEvent } from '@mcptrail/protocol';
import { startCaptureServer, type CaptureServer } from '../../test-support/capture-server.js';
import { HttpExporter, parseRetryAfter } from './http-exporter.js';
import type { ExportResult, Exporter } from './exporter.js';
import { BatchProcessor, type ProcessorOptions } from './processor.js';
import { backoffDelay, DEFAULT_RETRY, RetryingExporter, type RetryOptions } from './retrying-exporter.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

async function capture(port?: number): Promise<CaptureServer> {
  const server = await startCaptureServer(port);
  cleanup.push(() => server.close());
  return server;
}

let useFetch = false;

function processor(
  endpoint: string,
  options: Partial<ProcessorOptions> = {},
  gzipAboveBytes: number | false = false,
  retry: Partial<RetryOptions> = {},
  observe?: (result: ExportResult) => void,
  requestTimeoutMs = 5000,
) {
  const http = new HttpExporter({
    endpoint,
    projectKey: 'wk_test',
    requestTimeoutMs,
    gzipAboveBytes,
    userAgent: 'mcptrail-test',
    useFetch,
  });
  // `observe` sees each attempt's verdict (the real HTTP exchange, nothing stubbed).
  const inner: Exporter = observe
    ? {
        export: async (request) => {
          const result = await http.export(request);
          observe(result);
          return result;
        },
      }
    : http;
  const exporter = new RetryingExporter(inner, { ...DEFAULT_RETRY, baseDelayMs: 20, maxDelayMs: 200, ...retry });
  const p = new BatchProcessor(exporter, {
    batchSize: 500,
    flushIntervalMs: 1000,
    maxQueueEvents: 100_000,
    maxQueueBytes: 64 * 1024 * 1024,
    ...options,
  });
  cleanup.push(() => p.shutdown(1000));
  return p;
}

const event = (i: number, extra: Partial<WireEvent> = {}): WireEvent => ({
  id: `evt-${i}`,
  timestamp: Date.now(),
  method: 'tools/call',
  target: 'echo',
  ...extra,
});
const ids = (events: WireEvent[]) => events.map((e) => e.id);
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `evt-${from + i}`);

/** The same tests over each way the HTTP exporter can send: node:http, and fetch where node:http is missing. */
function overEachTransport(title: string, tests: () => void): void {
  describe.each([
    { transport: 'node:http', fetch: false },
    { transport: 'fetch', fetch: true },
  ])(`${title}, over $transport`, ({ fetch }) => {
    beforeEach(() => {
      useFetch = fetch;
    });
    tests();
  });
}

overEachTransport('delivery', () => {
  it('delivers 20,000 events enqueued before the loop gets a turn: batches of 500, none lost, none twice', async () => {
    const server = await capture();
    const p = processor(server.url);
    for (let i = 0; i < 20_000; i++) p.enqueue(event(i));
    await p.flush();
    expect(server.batches).toHaveLength(40);
    expect(server.batches.every((b) => b.events.length === 500 && b.dropped === undefined)).toBe(true);
    expect(ids(server.accepted())).toEqual(range(20_000));
    expect(server.batches[0]?.headers.authorization).toBe('Bearer wk_test');
    expect(server.batches[0]?.sdk).toEqual({ name: 'mcptrail', version: '0.1.0' });
  });

  it('sends a partial batch when the interval passes, without flush()', async () => {
    const server = await capture();
    const p = processor(server.url, { flushIntervalMs: 30 });
    p.enqueue(event(1));
    await server.until((events) => events.length === 1);
    expect(ids(server.accepted())).toEqual(['evt-1']);
  });

  it('honours 429 Retry-After and delivers once', async () => {
    const server = await capture();
    server.reply((batch, n) =>
      n === 0
        ? { status: 429, headers: { 'retry-after': '0' } }
        : { status: 200, body: { accepted: batch.events.length, duplicates: 0, rejected: [] } },
    );
    const p = processor(server.url);
    p.enqueue(event(1));
    await p.flush();
    expect(server.batches.map((b) => b.status)).toEqual([429, 200]);
    expect(ids(server.accepted())).toEqual(['evt-1']);
  });

  it('retries 503 and 408 with backoff; not 400, whose events it reports as dropped with the next batch', async () => {
    const server = await capture();
    const statuses = [503, 408, 200, 400, 200];
    server.reply((batch, n) => ({
      status: statuses[n] ?? 200,
      body: { accepted: batch.events.length, duplicates: 0, rejected: [] },
    }));
    const p = processor(server.url);
    p.enqueue(event(1));
    await p.flush();
    p.enqueue(event(2));
    p.enqueue(event(3));
    await p.flush();
    p.enqueue(event(4));
    await p.flush();
    expect(server.batches.map((b) => b.status)).toEqual([503, 408, 200, 400, 200]);
    expect(ids(server.accepted())).toEqual(['evt-1', 'evt-4']);
    expect(server.batches[4]?.dropped).toBe(2);
    expect(p.snapshot().droppedTotal).toBe(2);
    expect(server.batches[4]?.sender).toEqual({ id: expect.any(String), droppedTotal: 2 });
    expect(server.batches.slice(0, 4).every((b) => b.sender === undefined)).toBe(true);
  });

  it('counts overflow and sends the count with the next batch', async () => {
    const server = await capture();
    const p = processor(server.url, { maxQueueEvents: 10 });
    for (let i = 0; i < 25; i++) p.enqueue(event(i));
    await p.flush();
    expect(ids(server.accepted())).toEqual(range(10, 15));
    expect(server.batches[0]?.dropped).toBe(15);
  });

  it('keeps events while the collector is down and delivers them, once, when it is up', async () => {
    // "Down": a port that accepts and resets every connection; then the collector takes the port.
    let attempts = 0;
    const sockets = new Set<Socket>();
    const down: Server = createServer((socket) => {
      attempts++;
      sockets.add(socket);
      socket.destroy();
    });
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const port = (down.address() as { port: number }).port;
    const p = processor(`http://127.0.0.1:${port}`);
    for (let i = 0; i < 3; i++) p.enqueue(event(i));
    const flushed = p.flush(30_000);
    while (attempts < 2) await new Promise((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => down.close(() => resolve()));
    const server = await capture(port);
    await flushed;
    expect(ids(server.accepted())).toEqual(range(3));
    expect(server.batches).toHaveLength(1);
  });

  it('gzips large bodies', async () => {
    const server = await capture();
    const p = processor(server.url, {}, 1024);
    for (let i = 0; i < 50; i++) p.enqueue(event(i, { arguments: { text: 'x'.repeat(100) } }));
    await p.flush();
    expect(server.batches[0]?.headers['content-encoding']).toBe('gzip');
    expect(ids(server.accepted())).toEqual(range(50));
  });
});

/** A collector that is down: the port accepts and resets every connection, until `close()` frees it for a real one. */
async function downCollector() {
  let attempts = 0;
  const server: Server = createServer((socket) => {
    attempts++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  let open = true;
  const close = () =>
    open
      ? new Promise<void>((resolve) => {
          open = false;
          server.close(() => resolve());
        })
      : Promise.resolve();
  cleanup.push(close);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get attempts() {
      return attempts;
    },
    close,
  };
}

/** Polls (one macrotask at a time) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('delivery through outages and flush timeouts', () => {
  beforeEach(() => {
    useFetch = false;
  });

  it('a flush that timed out does not doom later batches: they stay queued and go, in order, once up', async () => {
    const down = await downCollector();
    const p = processor(down.url);
    for (let i = 0; i < 5000; i++) p.enqueue(event(i));
    await p.flush(100); // times out: the collector is down
    // The outage goes on: more attempts than one batch gets per round.
    await until(() => down.attempts >= 12 || p.snapshot().droppedTotal > 0);
    expect(p.snapshot().droppedTotal).toBe(0);
    await down.close();
    const server = await capture(down.port);
    await p.flush(30_000);
    expect(ids(server.accepted())).toEqual(range(5000));
    expect(server.batches.every((b) => b.status === 200 && b.dropped === undefined)).toBe(true);
    expect(p.snapshot().droppedTotal).toBe(0);
    expect(p.pending).toBe(0);
  });

  it('keeps delivering in the background after a flush timed out (its deadline does not stick)', async () => {
    const down = await downCollector();
    const p = processor(down.url, { flushIntervalMs: 10 });
    for (let i = 0; i < 1500; i++) p.enqueue(event(i));
    await p.flush(50);
    await down.close();
    const server = await capture(down.port);
    // No flush() now: only the background loop can deliver.
    await until(() => server.accepted().length >= 1500 || p.snapshot().droppedTotal > 0);
    expect(ids(server.accepted())).toEqual(range(1500));
    expect(p.snapshot().droppedTotal).toBe(0);
  });

  it('makes no attempt once the deadline has passed, and hands the batch back as retryable', async () => {
    const server = await capture();
    const http = new HttpExporter({
      endpoint: server.url,
      projectKey: 'wk_test',
      requestTimeoutMs: 5000,
      gzipAboveBytes: false,
      userAgent: 'mcptrail-test',
    });
    const body = new TextEncoder().encode(
      JSON.stringify({ events: [event(1)], sdk: { name: 'mcptrail', version: '0.1.0' } }),
    );
    const result = await new RetryingExporter(http).export({ body, count: 1, deadline: Date.now() - 1 });
    expect(result.kind).toBe('retryable');
    expect((await http.export({ body, count: 1, deadline: Date.now() - 1 })).kind).toBe('retryable');
    expect(server.batches).toHaveLength(0);
  });

  it('keeps a batch through an outage longer than its attempts, and delivers it once the collector is up', async () => {
    const down = await downCollector();
    const p = processor(down.url, { flushIntervalMs: 10 }, false, { maxAttempts: 2 });
    for (let i = 0; i < 3; i++) p.enqueue(event(i));
    // Three times the attempts a batch gets per round, or the batch given up on.
    await until(() => down.attempts >= 6 || p.snapshot().droppedTotal > 0);
    expect(p.snapshot().droppedTotal).toBe(0);
    await down.close();
    const server = await capture(down.port);
    await p.flush(30_000);
    expect(ids(server.accepted())).toEqual(range(3));
    expect(server.batches).toHaveLength(1);
    expect(server.batches[0]?.dropped).toBeUndefined();
  });

  it('through an outage the queue bound decides what is lost: the oldest, counted and reported', async () => {
    const down = await downCollector();
    const p = processor(down.url, { flushIntervalMs: 10, batchSize: 5, maxQueueEvents: 10 }, false, { maxAttempts: 1 });
    for (let i = 0; i < 5; i++) p.enqueue(event(i));
    await until(() => down.attempts >= 2 || p.snapshot().droppedTotal > 0);
    expect(p.snapshot().droppedTotal).toBe(0);
    // The first batch is out (or back in the queue) while 10 more arrive: 15 events for 10 places.
    for (let i = 5; i < 15; i++) p.enqueue(event(i));
    await until(() => down.attempts >= 4);
    await down.close();
    const server = await capture(down.port);
    await p.flush(30_000);
    expect(ids(server.accepted())).toEqual(range(10, 5));
    expect(p.snapshot().droppedTotal).toBe(5);
    expect(server.batches.reduce((n, b) => n + (b.dropped ?? 0), 0)).toBe(5);
    // Whatever was resent, the running total the collector keeps is exact.
    expect(Math.max(...server.batches.map((b) => b.sender?.droppedTotal ?? 0))).toBe(5);
  });

  it('flush() cuts a backoff wait short', async () => {
    const down = await downCollector();
    const verdicts: ExportResult[] = [];
    // A first failure backs off 30 to 60 s: far longer than the flush below.
    const p = processor(down.url, { flushIntervalMs: 10 }, false, { baseDelayMs: 60_000, maxDelayMs: 60_000 }, (r) =>
      verdicts.push(r),
    );
    p.enqueue(event(1));
    await until(() => verdicts.length >= 1);
    expect(verdicts[0]?.kind).toBe('retryable');
    await down.close();
    const server = await capture(down.port);
    await p.flush(10_000);
    expect(ids(server.accepted())).toEqual(['evt-1']);
  });
});

describe('retry timing rules', () => {
  it('parses Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    const options = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, options, () => 0)).toBe(50);
    expect(backoffDelay(1, options, () => 1)).toBe(100);
    expect(backoffDelay(3, options, () => 1)).toBe(400);
    expect(backoffDelay(10, options, () => 1)).toBe(1000);
  });
});

overEachTransport('a misbehaving collector', () => {
  const collectorAnswer = (batch: { events: unknown[] }) => ({
    status: 200,
    body: { accepted: batch.events.length, duplicates: 0, rejected: [] },
  });

  it('a 2xx that is not the collector’s answer (a proxy’s HTML page) is retried, then dropped, reported', async () => {
    const server = await capture();
    const portal = {
      status: 200,
      headers: { 'content-type': 'text/html' },
      text: '<html><body>Sign in to the hotel Wi-Fi</body></html>',
    };
    const shapes = [portal, { status: 200, text: '{"ok":true}' }, { status: 204 }];
    server.reply((_batch, n) => shapes[n] ?? portal);
    const verdicts: ExportResult[] = [];
    const p = processor(server.url, {}, false, { maxAttempts: 3 }, (r) => verdicts.push(r));
    for (let i = 0; i < 4; i++) p.enqueue(event(i));
    await p.flush(10_000);
    expect(server.batches).toHaveLength(3);
    expect(verdicts.map((v) => v.kind)).toEqual(['retryable', 'retryable', 'retryable']);
    expect(p.snapshot()).toMatchObject({ sent: 0, droppedTotal: 4, failedBatches: 1 });
    expect(p.pending).toBe(0);
    // The collector is reachable again: the loss travels with the next batch.
    server.reply(collectorAnswer);
    p.enqueue(event(4));
    await p.flush(10_000);
    expect(ids(server.accepted())).toEqual(['evt-4']);
    expect(server.batches[3]?.dropped).toBe(4);
    expect(server.batches[3]?.sender?.droppedTotal).toBe(4);
    expect(p.snapshot()).toMatchObject({ sent: 1, droppedTotal: 4 });
  });

  it('a proxy’s page once, then the collector: delivered once, nothing dropped', async () => {
    const server = await capture();
    server.reply((batch, n) =>
      n === 0 ? { status: 200, text: '<html>502 Bad Gateway</html>' } : collectorAnswer(batch),
    );
    const p = processor(server.url);
    for (let i = 0; i < 3; i++) p.enqueue(event(i));
    await p.flush(10_000);
    expect(server.batches.map((b) => b.delivered)).toEqual([false, true]);
    expect(ids(server.accepted())).toEqual(range(3));
    expect(p.snapshot()).toMatchObject({ sent: 3, droppedTotal: 0 });
  });

  it('requestTimeoutMs is a deadline for the whole request: an answer trickled byte by byte is cut off', async () => {
    const server = await capture();
    server.reply((batch, n) => (n === 0 ? { fault: 'trickle', everyMs: 50 } : collectorAnswer(batch)));
    const verdicts: ExportResult[] = [];
    const p = processor(server.url, {}, false, {}, (r) => verdicts.push(r), 400);
    for (let i = 0; i < 3; i++) p.enqueue(event(i));
    const started = Date.now();
    await p.flush(10_000);
    expect(verdicts[0]).toMatchObject({ kind: 'retryable', reason: expect.stringMatching(/timed out|abort/i) });
    expect(ids(server.accepted())).toEqual(range(3));
    // An idle timeout would never fire: a byte comes every 50 ms.
    expect(Date.now() - started).toBeLessThan(5000);
  }, 15_000);

  it('a collector that never answers, or resets the connection, is retried; the batch is delivered once', async () => {
    const server = await capture();
    const faults = [{ fault: 'hang' }, { fault: 'reset' }] as const;
    server.reply((batch, n) => faults[n] ?? collectorAnswer(batch));
    const verdicts: ExportResult[] = [];
    const p = processor(server.url, {}, false, {}, (r) => verdicts.push(r), 300);
    for (let i = 0; i < 3; i++) p.enqueue(event(i));
    await p.flush(10_000);
    expect(verdicts.map((v) => v.kind)).toEqual(['retryable', 'retryable', 'success']);
    expect(server.batches).toHaveLength(3);
    expect(ids(server.accepted())).toEqual(range(3));
    expect(p.snapshot()).toMatchObject({ sent: 3, droppedTotal: 0 });
  });

  it('a 413 splits the batch until it fits; an event too large alone is dropped, counted and reported', async () => {
    const server = await capture();
    const LIMIT = 8 * 1024;
    server.reply((batch) =>
      batch.bytes > LIMIT
        ? { status: 413, body: { error: { code: 'payload_too_large', message: 'too large' } } }
        : collectorAnswer(batch),
    );
    const p = processor(server.url);
    // 40 events of ~1 KiB: one 40 KiB batch, five times the proxy's limit; event 20 is 16 KiB alone.
    for (let i = 0; i < 40; i++) p.enqueue(event(i, { arguments: { text: 'x'.repeat(i === 20 ? 16 * 1024 : 1000) } }));
    await p.flush(10_000);
    expect(ids(server.accepted())).toEqual(range(39).map((_, i) => `evt-${i < 20 ? i : i + 1}`));
    expect(server.batches.filter((b) => b.delivered).every((b) => b.bytes <= LIMIT)).toBe(true);
    expect(p.snapshot()).toMatchObject({ sent: 39, droppedTotal: 1, failedBatches: 1 });
    // The smaller size is kept: the next events go without another 413 first.
    const refusedBefore = server.batches.filter((b) => b.status === 413).length;
    for (let i = 40; i < 50; i++) p.enqueue(event(i, { arguments: { text: 'x'.repeat(1000) } }));
    await p.flush(10_000);
    expect(server.batches.filter((b) => b.status === 413).length).toBe(refusedBefore);
    expect(ids(server.accepted()).slice(39)).toEqual(range(10, 40));
    expect(server.batches.filter((b) => b.delivered).reduce((n, b) => n + (b.dropped ?? 0), 0)).toBe(1);
  });
});
