import type { RollupEvent, RollupSession } from '../../rollups/rollup-deltas.js';
import { sessionBasis } from '../../sessionizer/index.js';
import type { SessionSummary, StoredEvent } from '../records.js';
import type { EventBody } from '../event-body.js';
import type { EventRow, SessionRow } from '../schema.js';

/** Engines hand back bigint columns as numbers or numeric strings; records carry numbers. */
export const num = (value: unknown): number => Number(value);

export function toSessionSummary(row: SessionRow): SessionSummary {
  return {
    id: row.id,
    kind: row.kind,
    basis: sessionBasis(row.kind, row.group_key),
    userId: row.user_id,
    userName: row.user_name,
    clientName: row.client_name,
    clientVersion: row.client_version,
    transportSessionId: row.transport_session_id,
    startedAt: num(row.started_at),
    endedAt: num(row.ended_at),
    eventCount: num(row.event_count),
    errorCount: num(row.error_count),
  };
}

/** An event row with its body, decoded by `BodyReader`. */
export function toStoredEvent(row: EventRow, body: EventBody): StoredEvent {
  return {
    id: row.id,
    sessionId: row.session_id,
    transportSessionId: row.transport_session_id,
    timestamp: num(row.ts),
    durationMs: row.duration_ms === null ? null : num(row.duration_ms),
    method: row.method,
    target: row.target,
    user: row.user_id === null ? null : { id: row.user_id, name: body.userName, dataJson: body.userData },
    client:
      row.client_name === null
        ? null
        : { name: row.client_name, version: row.client_version, source: row.client_source ?? 'clientInfo' },
    clientFingerprint: row.client_fingerprint,
    conversationId: row.conversation_id,
    server: body.serverName === null ? null : { name: body.serverName, version: body.serverVersion },
    protocolVersion: row.protocol_version,
    transport: body.transport,
    isError: num(row.is_error) === 1,
    error:
      row.error_message === null
        ? null
        : { type: row.error_type, message: row.error_message, code: row.error_code, stack: body.errorStack },
    argumentsJson: body.arguments,
    resultJson: body.result,
    tagsJson: body.tags,
    propertiesJson: body.properties,
    receivedAt: num(row.received_at),
  };
}

/** What a stored event adds to the rollups: ingest's facts of it, read back. */
export function toRollupEvent(
  row: Pick<EventRow, 'ts' | 'method' | 'target' | 'is_error' | 'duration_ms' | 'user_id'>,
): RollupEvent {
  return {
    timestamp: num(row.ts),
    method: row.method,
    target: row.target,
    isError: num(row.is_error) === 1,
    durationMs: row.duration_ms === null ? null : num(row.duration_ms),
    userId: row.user_id,
  };
}

/** What a stored session adds to the rollups. */
export function toRollupSession(row: SessionRow): RollupSession {
  return {
    kind: row.kind,
    startedAt: num(row.started_at),
    endedAt: num(row.ended_at),
    eventCount: num(row.event_count),
    errorCount: num(row.error_count),
    userId: row.user_id,
    userName: row.user_name,
    clientName: row.client_name,
  };
}
