import type { ClientInfo } from '../types.js';
import type { RequestView } from './request-view.js';

/** One finished request, as every adapter reports it; `capture/build-event.ts` turns it into a wire event. */
export interface ObservedRequest {
  method: string;
  params: Record<string, unknown> | undefined;
  view: RequestView;
  /** Epoch ms at arrival. */
  timestamp: number;
  durationMs: number;
  /** false: the handler threw (a JSON-RPC error answer). */
  ok: boolean;
  /** The result, or what was thrown. */
  outcome: unknown;
  /** Only with a real transport session (docs/sdk.md). */
  sessionId: string | null;
  /** The conversation a conversation token names (stateless only). */
  conversationId: string | undefined;
  client: ClientInfo | undefined;
  /** Stateless requests of clients that name themselves only in `initialize` (docs/adr/0104). */
  clientFingerprint: string | undefined;
  server: { name: string; version?: string | null } | undefined;
  protocolVersion: string | undefined;
  transport: string | undefined;
}
