import type { IngestResult } from '@mcptrail/protocol';
import { builtin } from '../internal/builtins.js';
import type { ExportRequest, ExportResult, Exporter } from './exporter.js';

export interface HttpExporterOptions {
  /** Collector base URL. */
  endpoint: string;
  projectKey: string;
  requestTimeoutMs: number;
  gzipAboveBytes: number | false;
  userAgent: string;
  /** Use the platform fetch even where node:http is available (tests). */
  useFetch?: boolean;
}

/** 408 and 429 are worth another try; any other 4xx will not get better. */
const RETRYABLE_4XX = new Set([408, 429]);

/** `Retry-After` as seconds or an HTTP date, in ms. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

type Gzip = (body: Uint8Array) => Promise<Uint8Array>;
let gzipImpl: Gzip | null | undefined;

/** node:zlib through getBuiltinModule, so nothing is imported statically. */
function getGzip(): Gzip | null {
  if (gzipImpl !== undefined) return gzipImpl;
  const zlib = builtin<{
    gzip(input: Uint8Array, options: object, cb: (error: Error | null, out: Uint8Array) => void): void;
  }>('node:zlib');
  gzipImpl = zlib
    ? (body) =>
        new Promise((resolve, reject) =>
          zlib.gzip(body, { level: 1 }, (error, out) => (error ? reject(error) : resolve(out))),
        )
    : null;
  return gzipImpl;
}

/** What one POST came back with. */
interface PostResponse {
  status: number;
  retryAfter: string | null;
  text: string;
}

/** One POST, answered or failed within `timeoutMs` all told; `close` ends those in progress and frees connections. */
interface Transport {
  post(url: URL, headers: Record<string, string>, body: Uint8Array, timeoutMs: number): Promise<PostResponse>;
  close(): void;
}

interface NodeHttp {
  Agent: new (options: object) => { destroy(): void };
  request(url: URL, options: object, onResponse: (res: NodeResponse) => void): NodeRequest;
}
interface NodeResponse {
  statusCode?: number;
  headers: Record<string, string | string[] | undefined>;
  setEncoding(encoding: string): void;
  on(event: 'data' | 'end' | 'error' | 'close', fn: (chunk?: unknown) => void): void;
}
interface NodeRequest {
  on(event: 'error', fn: (error: Error) => void): void;
  destroy(error?: Error): void;
  end(body: Uint8Array): void;
}

/** Read of an answer, at most: a collector's, with a reason for each of 1,000 rejected events, fits many times over. */
const MAX_ANSWER_CHARS = 1024 * 1024;

const timedOut = (timeoutMs: number) => new Error(`timed out after ${timeoutMs} ms`);

/**
 * node:http(s) with a keep-alive agent (idle sockets are unref'd by Node):
 * a third of fetch's CPU per batch. Elsewhere, the platform fetch.
 */
function nodeTransport(secure: boolean): Transport | undefined {
  const http = builtin<NodeHttp>(secure ? 'node:https' : 'node:http');
  if (!http) return undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const post: Transport['post'] = (url, headers, body, timeoutMs) =>
    new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error: Error | undefined, response?: PostResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (error) reject(error);
        else resolve(response!);
      };
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.byteLength) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => {
            if (text.length < MAX_ANSWER_CHARS) text += String(chunk);
          });
          res.on('error', (error) => settle(error as Error));
          res.on('close', () => settle(new Error('connection closed before the answer ended')));
          res.on('end', () => {
            const retryAfter = res.headers['retry-after'];
            settle(undefined, {
              status: res.statusCode ?? 0,
              retryAfter: Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null),
              text,
            });
          });
        },
      );
      // A deadline for the whole exchange, not an idle timeout: an answer trickled a byte at a time must not hold the
      // queue.
      const deadline = setTimeout(() => req.destroy(timedOut(timeoutMs)), timeoutMs);
      deadline.unref?.();
      req.on('error', (error) => settle(error));
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}

function fetchTransport(): Transport {
  const closing = new AbortController();
  return {
    async post(url, headers, body, timeoutMs) {
      // The signal covers reading the body too: a trickled answer fails like a slow one.
      const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), closing.signal]);
      const response = await fetch(url, { method: 'POST', headers, body, signal });
      return { status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text() };
    },
    close: () => closing.abort(new Error('shut down')),
  };
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/**
 * The collector's answer to a batch, or undefined when the body is something else (a proxy's page, a captive portal).
 */
function ingestResult(text: string): IngestResult | undefined {
  try {
    const result = JSON.parse(text) as Partial<IngestResult> | null;
    if (result && isCount(result.accepted) && isCount(result.duplicates) && Array.isArray(result.rejected))
      return result as IngestResult;
  } catch {
    // Not JSON: not the collector.
  }
  return undefined;
}

/** One attempt per call. */
export class HttpExporter implements Exporter {
  private readonly url: URL;
  private readonly transport: Transport;

  constructor(private readonly options: HttpExporterOptions) {
    this.url = new URL(`${options.endpoint.replace(/\/+$/, '')}/v1/events`);
    this.transport = (options.useFetch ? undefined : nodeTransport(this.url.protocol === 'https:')) ?? fetchTransport();
  }

  /** Ends requests in progress and closes the keep-alive connections. */
  shutdown(): void {
    this.transport.close();
  }

  async export(request: ExportRequest): Promise<ExportResult> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      authorization: `Bearer ${this.options.projectKey}`,
      'user-agent': this.options.userAgent,
    };
    // No attempt at or after the deadline (a 1 ms request would only fail).
    if (Date.now() >= request.deadline) return { kind: 'retryable', reason: 'deadline passed before the attempt' };
    let body = request.body;
    const gzip =
      this.options.gzipAboveBytes !== false && request.body.length > this.options.gzipAboveBytes ? getGzip() : null;
    let response: PostResponse;
    try {
      if (gzip) {
        body = await gzip(request.body);
        headers['content-encoding'] = 'gzip';
      }
      response = await this.transport.post(
        this.url,
        headers,
        body,
        Math.max(1, Math.min(this.options.requestTimeoutMs, request.deadline - Date.now())),
      );
    } catch (error) {
      return { kind: 'retryable', reason: `network: ${(error as Error)?.message ?? String(error)}` };
    }
    const { status, text } = response;
    const reason = `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
    if (status >= 200 && status < 300) {
      const result = ingestResult(text);
      if (result)
        return {
          kind: 'success',
          accepted: result.accepted,
          duplicates: result.duplicates,
          rejected: result.rejected.length,
        };
      return { kind: 'retryable', reason: `${reason} (not a collector's answer)`, dropWhenExhausted: true };
    }
    if (status === 413) return { kind: 'too-large', reason };
    if (status >= 500 || RETRYABLE_4XX.has(status)) {
      const retryAfterMs = parseRetryAfter(response.retryAfter);
      return retryAfterMs === undefined ? { kind: 'retryable', reason } : { kind: 'retryable', reason, retryAfterMs };
    }
    return { kind: 'failure', reason };
  }
}
