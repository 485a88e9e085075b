/**
 * Delivery against a real HTTP endpoint on loopback: batching, retries
 * (429 + Retry-After, 5xx, 4xx not retried), overflow counting, a collector
 * that is down and then up, gzip.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WireEvent } from '@mcptrail/protocol';
import { startCaptureServer, type CaptureServer } from '../../test-support/capture-server.js';
import { HttpExporter, parseRetryAfter } from './http-exporter.js';
import { BatchProcessor, type ProcessorOptions } from './processor.js';
import { backoffDelay, DEFAULT_RETRY, RetryingExporter } from './retrying-exporter.js';

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

function processor(endpoint: string, options: Partial<ProcessorOptions> = {}, gzipAboveBytes: number | false = false) {
  const http = new HttpExporter({ endpoint, projectKey: 'wk_test', requestTimeoutMs: 5000, gzipAboveBytes, userAgent: 'mcptrail-test', useFetch });
  const exporter = new RetryingExporter(http, { ...DEFAULT_RETRY, baseDelayMs: 20, maxDelayMs: 200 });
  const p = new BatchProcessor(exporter, { batchSize: 500, flushIntervalMs: 1000, maxQueueEvents: 100_000, maxQueueBytes: 64 * 1024 * 1024, ...options });
  cleanup.push(() => p.shutdown(1000));
  return p;
}

const event = (i: number, extra: Partial<WireEvent> = {}): WireEvent => ({ id: `evt-${i}`, timestamp: Date.now(), method: 'tools/call', target: 'echo', ...extra });
const ids = (events: WireEvent[]) => events.map((e) => e.id);
const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `evt-${from + i}`);

describe.each([
  { transport: 'node:http', fetch: false },
  { transport: 'fetch', fetch: true },
])('delivery over $transport', ({ fetch }) => {
  beforeEach(() => {
    useFetch = fetch;
  });

  it('delivers a burst of 20,000 events enqueued before the loop gets a turn: batches of 500, none lost, none twice', async () => {
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
    server.reply((batch, n) => (n === 0 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 200, body: { accepted: batch.events.length, duplicates: 0, rejected: [] } }));
    const p = processor(server.url);
    p.enqueue(event(1));
    await p.flush();
    expect(server.batches.map((b) => b.status)).toEqual([429, 200]);
    expect(ids(server.accepted())).toEqual(['evt-1']);
  });

  it('retries 503 and 408 with backoff; does not retry 400, and reports those events as dropped with the next batch', async () => {
    const server = await capture();
    const statuses = [503, 408, 200, 400, 200];
    server.reply((batch, n) => ({ status: statuses[n] ?? 200, body: { accepted: batch.events.length, duplicates: 0, rejected: [] } }));
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
