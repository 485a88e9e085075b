import { HeaderBackedView, headerReader } from './headers.js';
import { isRecord, type RequestView } from './request-view.js';

/**
 * v2 (`@modelcontextprotocol/server` 2.x) hands handlers a `ctx` with
 * `sessionId`, `mcpReq` (`_meta` with the envelope keys lifted into
 * `mcpReq.envelope`) and, over HTTP, `http.req` as a web `Request`.
 */
export interface V2Context {
  sessionId?: string;
  mcpReq: { _meta?: Record<string, unknown>; envelope?: unknown };
  http?: { req?: { headers?: unknown }; authInfo?: unknown };
}

export function isV2Context(value: unknown): value is V2Context {
  return isRecord(value) && isRecord(value.mcpReq);
}

export class V2RequestView extends HeaderBackedView implements RequestView {
  constructor(private readonly ctx: V2Context) {
    super(headerReader(ctx.http?.req?.headers));
  }

  get transportSessionId(): string | undefined {
    return typeof this.ctx.sessionId === 'string' && this.ctx.sessionId ? this.ctx.sessionId : undefined;
  }

  get authInfo(): unknown {
    return this.ctx.http?.authInfo;
  }

  meta(): Record<string, unknown> | undefined {
    const meta = this.ctx.mcpReq._meta;
    const envelope = this.envelope();
    if (!envelope) return isRecord(meta) ? meta : undefined;
    return { ...(isRecord(meta) ? meta : {}), ...envelope };
  }

  envelope(): Record<string, unknown> | undefined {
    // The published types call the envelope `{}`; it is a record of reserved keys.
    const envelope = this.ctx.mcpReq.envelope;
    return isRecord(envelope) ? envelope : undefined;
  }

  get raw(): unknown {
    return this.ctx;
  }
}
