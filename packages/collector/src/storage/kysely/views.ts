import type { EventView, SessionView } from '@mcptrail/protocol';
import { sessionBasis } from '../../sessionizer/index.js';
import type { EventRow, SessionRow } from '../schema.js';

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();
const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export function toSessionView(row: SessionRow): SessionView {
  const startedAt = Number(row.started_at);
  const endedAt = Number(row.ended_at);
  return {
    id: row.id,
    kind: row.kind,
    basis: sessionBasis(row.kind, row.group_key),
    userId: row.user_id,
    userName: row.user_name,
    clientName: row.client_name,
    clientVersion: row.client_version,
    transportSessionId: row.transport_session_id,
    startedAt: iso(startedAt),
    endedAt: iso(endedAt),
    durationMs: endedAt - startedAt,
    eventCount: Number(row.event_count),
    errorCount: Number(row.error_count),
  };
}

export function toEventView(row: EventRow): EventView {
  return {
    id: row.id,
    sessionId: row.session_id,
    transportSessionId: row.transport_session_id,
    timestamp: iso(row.ts),
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    method: row.method,
    target: row.target,
    user: row.user_id === null ? null : { id: row.user_id, name: row.user_name, data: parseJson(row.user_data) },
    client: row.client_name === null ? null : { name: row.client_name, version: row.client_version, source: row.client_source ?? 'clientInfo' },
    clientFingerprint: row.client_fingerprint,
    conversationId: row.conversation_id,
    server: row.server_name === null ? null : { name: row.server_name, version: row.server_version },
    protocolVersion: row.protocol_version,
    transport: row.transport,
    isError: Number(row.is_error) === 1,
    error:
      row.error_message === null
        ? null
        : { type: row.error_type, message: row.error_message, code: row.error_code, stack: row.error_stack },
    arguments: parseJson(row.arguments),
    result: parseJson(row.result),
    tags: parseJson(row.tags) as Record<string, string> | null,
    properties: parseJson(row.properties) as Record<string, unknown> | null,
    receivedAt: iso(row.received_at),
  };
}

export { iso };
