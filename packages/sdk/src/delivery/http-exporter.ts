import type { IngestResult } from '@mcptrail/protocol';
import type { ExportRequest, ExportResult, Exporter } from './exporter.js';

export interface HttpExporterOptions {
  /** Collector base URL. */
  endpoint: string;
  projectKey: string;
  requestTimeoutMs: number;
  gzipAboveBytes: number | false;
  userAgent: string;
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

type Gzip = (body: string) => Promise<Uint8Array>;
let gzipImpl: Gzip | null | undefined;

/** node:zlib through getBuiltinModule, so nothing is imported statically. */
function getGzip(): Gzip | null {
  if (gzipImpl !== undefined) return gzipImpl;
  gzipImpl = null;
  try {
    const zlib = (process as unknown as { getBuiltinModule?(id: string): unknown }).getBuiltinModule?.('node:zlib') as
      | { gzip(input: string, options: object, cb: (error: Error | null, out: Uint8Array) => void): void }
      | undefined;
    if (zlib) {
      gzipImpl = (body) => new Promise((resolve, reject) => zlib.gzip(body, { level: 1 }, (error, out) => (error ? reject(error) : resolve(out))));
    }
  } catch {
    gzipImpl = null;
  }
  return gzipImpl;
}

/** One attempt per call, over the platform's `fetch`. */
export class HttpExporter implements Exporter {
  private readonly url: string;

  constructor(private readonly options: HttpExporterOptions) {
    this.url = `${options.endpoint.replace(/\/+$/, '')}/v1/events`;
  }

  async export(request: ExportRequest): Promise<ExportResult> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      authorization: `Bearer ${this.options.projectKey}`,
      'user-agent': this.options.userAgent,
    };
    let body: string | Uint8Array = request.body;
    const gzip = this.options.gzipAboveBytes !== false && request.body.length > this.options.gzipAboveBytes ? getGzip() : null;
    if (gzip) {
      body = await gzip(request.body);
      headers['content-encoding'] = 'gzip';
    }
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(Math.max(1, Math.min(this.options.requestTimeoutMs, request.deadline - Date.now()))),
      });
    } catch (error) {
      return { kind: 'retryable', reason: `network: ${(error as Error)?.message ?? String(error)}` };
    }
    let text = '';
    try {
      text = await response.text();
    } catch {
      // The status is what matters.
    }
    if (response.ok) {
      try {
        const result = JSON.parse(text) as IngestResult;
        return { kind: 'success', accepted: result.accepted ?? 0, duplicates: result.duplicates ?? 0, rejected: result.rejected?.length ?? 0 };
      } catch {
        return { kind: 'success', accepted: request.count, duplicates: 0, rejected: 0 };
      }
    }
    const reason = `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
    if (response.status >= 500 || RETRYABLE_4XX.has(response.status)) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      return retryAfterMs === undefined ? { kind: 'retryable', reason } : { kind: 'retryable', reason, retryAfterMs };
    }
    return { kind: 'failure', reason };
  }
}
