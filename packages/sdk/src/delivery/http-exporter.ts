import type { IngestResult } from '@mcptrail/protocol';
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

function builtin<T>(id: string): T | undefined {
  try {
    return (process as unknown as { getBuiltinModule?(id: string): unknown }).getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}

/** node:zlib through getBuiltinModule, so nothing is imported statically. */
function getGzip(): Gzip | null {
  if (gzipImpl !== undefined) return gzipImpl;
  const zlib = builtin<{ gzip(input: Uint8Array, options: object, cb: (error: Error | null, out: Uint8Array) => void): void }>('node:zlib');
  gzipImpl = zlib ? (body) => new Promise((resolve, reject) => zlib.gzip(body, { level: 1 }, (error, out) => (error ? reject(error) : resolve(out)))) : null;
  return gzipImpl;
}

/** What one POST came back with. */
interface PostResponse {
  status: number;
  retryAfter: string | null;
  text: string;
}

type Post = (url: URL, headers: Record<string, string>, body: Uint8Array, timeoutMs: number) => Promise<PostResponse>;

interface NodeHttp {
  Agent: new (options: object) => unknown;
  request(url: URL, options: object, onResponse: (res: NodeResponse) => void): NodeRequest;
}
interface NodeResponse {
  statusCode?: number;
  headers: Record<string, string | string[] | undefined>;
  setEncoding(encoding: string): void;
  on(event: 'data' | 'end' | 'error', fn: (chunk?: unknown) => void): void;
}
interface NodeRequest {
  on(event: 'error', fn: (error: Error) => void): void;
  setTimeout(ms: number, fn: () => void): void;
  destroy(error?: Error): void;
  end(body: Uint8Array): void;
}

/**
 * node:http(s) with a keep-alive agent (idle sockets are unref'd by Node):
 * a third of fetch's CPU per batch. Elsewhere, the platform fetch.
 */
function nodePost(secure: boolean): Post | undefined {
  const http = builtin<NodeHttp>(secure ? 'node:https' : 'node:http');
  if (!http) return undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  return (url, headers, body, timeoutMs) =>
    new Promise((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.byteLength) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          if (text.length < 65_536) text += String(chunk);
        });
        res.on('error', (error) => reject(error));
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null), text });
        });
      });
      req.on('error', reject);
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
      req.end(body);
    });
}

const fetchPost: Post = async (url, headers, body, timeoutMs) => {
  const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
  let text = '';
  try {
    text = await response.text();
  } catch {
    // The status is what matters.
  }
  return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
};

/** One attempt per call. */
export class HttpExporter implements Exporter {
  private readonly url: URL;
  private readonly post: Post;

  constructor(private readonly options: HttpExporterOptions) {
    this.url = new URL(`${options.endpoint.replace(/\/+$/, '')}/v1/events`);
    this.post = (options.useFetch ? undefined : nodePost(this.url.protocol === 'https:')) ?? fetchPost;
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
    const gzip = this.options.gzipAboveBytes !== false && request.body.length > this.options.gzipAboveBytes ? getGzip() : null;
    let response: PostResponse;
    try {
      if (gzip) {
        body = await gzip(request.body);
        headers['content-encoding'] = 'gzip';
      }
      response = await this.post(this.url, headers, body, Math.max(1, Math.min(this.options.requestTimeoutMs, request.deadline - Date.now())));
    } catch (error) {
      return { kind: 'retryable', reason: `network: ${(error as Error)?.message ?? String(error)}` };
    }
    const { status, text } = response;
    if (status >= 200 && status < 300) {
      try {
        const result = JSON.parse(text) as IngestResult;
        return { kind: 'success', accepted: result.accepted ?? 0, duplicates: result.duplicates ?? 0, rejected: result.rejected?.length ?? 0 };
      } catch {
        return { kind: 'success', accepted: request.count, duplicates: 0, rejected: 0 };
      }
    }
    const reason = `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
    if (status >= 500 || RETRYABLE_4XX.has(status)) {
      const retryAfterMs = parseRetryAfter(response.retryAfter);
      return retryAfterMs === undefined ? { kind: 'retryable', reason } : { kind: 'retryable', reason, retryAfterMs };
    }
    return { kind: 'failure', reason };
  }
}
