import { HeaderBackedView, headerReader } from './headers.js';
import { envelopeKeysOf, isRecord, type RequestView } from './request-view.js';

/**
 * v1 (`@modelcontextprotocol/sdk` 1.x) hands handlers an `extra` with
 * `sessionId`, `authInfo`, `_meta` and, over HTTP, `requestInfo.headers` as a
 * lower-cased plain object. Some transports (mcp-proxy's, under fastmcp) hand
 * the protocol a web `request` instead, which v1 drops; the tracker keeps the
 * transport's own `extra` for those (`inbound`).
 */
export interface V1Extra {
  sessionId?: string;
  authInfo?: unknown;
  _meta?: Record<string, unknown>;
  requestInfo?: { headers?: unknown };
}

/** What the transport passed with the message, before the protocol rebuilt it. */
export interface InboundExtra {
  requestInfo?: { headers?: unknown };
  request?: { headers?: unknown };
  authInfo?: unknown;
}

export class V1RequestView extends HeaderBackedView implements RequestView {
  constructor(
    private readonly extra: V1Extra,
    private readonly params: Record<string, unknown> | undefined,
    private readonly inbound?: InboundExtra,
  ) {
    super(
      headerReader(extra.requestInfo?.headers) ??
        headerReader(inbound?.requestInfo?.headers) ??
        headerReader(inbound?.request?.headers),
    );
  }

  get transportSessionId(): string | undefined {
    return typeof this.extra.sessionId === 'string' && this.extra.sessionId ? this.extra.sessionId : undefined;
  }

  get authInfo(): unknown {
    return this.extra.authInfo ?? this.inbound?.authInfo;
  }

  meta(): Record<string, unknown> | undefined {
    const meta = this.extra._meta ?? this.params?._meta;
    return isRecord(meta) ? meta : undefined;
  }

  private envelopeMemo: Record<string, unknown> | undefined | null = null;

  envelope(): Record<string, unknown> | undefined {
    if (this.envelopeMemo === null) this.envelopeMemo = envelopeKeysOf(this.meta());
    return this.envelopeMemo;
  }

  get raw(): unknown {
    return this.extra;
  }
}
