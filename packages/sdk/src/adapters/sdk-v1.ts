import { envelopeKeysOf, isRecord, type RequestView } from './request-view.js';

/**
 * v1 (`@modelcontextprotocol/sdk` 1.x) hands handlers an `extra` with
 * `sessionId`, `authInfo`, `_meta` and, over HTTP, `requestInfo.headers` as a
 * lower-cased plain object.
 */
export interface V1Extra {
  sessionId?: string;
  authInfo?: unknown;
  _meta?: Record<string, unknown>;
  requestInfo?: { headers?: Record<string, string | string[] | undefined> };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

export class V1RequestView implements RequestView {
  readonly http: boolean;
  private readonly rawHeaders: Record<string, string | string[] | undefined> | undefined;

  constructor(private readonly extra: V1Extra, private readonly params: Record<string, unknown> | undefined) {
    const headers = extra.requestInfo?.headers;
    this.rawHeaders = isRecord(headers) ? (headers as Record<string, string | string[] | undefined>) : undefined;
    this.http = this.rawHeaders !== undefined;
  }

  header(name: string): string | undefined {
    return this.rawHeaders ? headerValue(this.rawHeaders[name]) : undefined;
  }

  headers(): Record<string, string> | undefined {
    if (!this.rawHeaders) return undefined;
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.rawHeaders)) {
      const text = headerValue(value);
      if (text !== undefined) out[key.toLowerCase()] = text;
    }
    return out;
  }

  get transportSessionId(): string | undefined {
    return typeof this.extra.sessionId === 'string' && this.extra.sessionId ? this.extra.sessionId : undefined;
  }

  get authInfo(): unknown {
    return this.extra.authInfo;
  }

  meta(): Record<string, unknown> | undefined {
    const meta = this.extra._meta ?? this.params?._meta;
    return isRecord(meta) ? meta : undefined;
  }

  envelope(): Record<string, unknown> | undefined {
    return envelopeKeysOf(this.meta());
  }

  get raw(): unknown {
    return this.extra;
  }
}
