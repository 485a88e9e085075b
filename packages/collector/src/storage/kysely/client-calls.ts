import type { Transaction } from 'kysely';
import { classifyFailure } from '../../insights/failure-class.js';
import type { ClientCallChange, ClientCallFacts, ClientLabelKey } from '../../rollups/client-call-deltas.js';
import type { SessionPlan, SessionRecord } from '../../sessionizer/index.js';
import type { StorageEngine } from '../engine.js';
import type { EncodedEvent } from '../event-body.js';
import type { Database, EventRow } from '../schema.js';

/**
 * What `rollup_client_calls` needs of tool calls and sessions (docs/adr/0205),
 * for ingest, the migration's backfill and the partial hours a query reads.
 */

/** The columns a stored call's facts come from. */
export const CALL_COLUMNS = [
  'ts',
  'target',
  'protocol_version',
  'is_error',
  'error_type',
  'error_code',
  'error_message',
  'duration_ms',
] as const;
type CallRow = Pick<EventRow, (typeof CALL_COLUMNS)[number]>;

const invalidArguments = (
  isError: boolean,
  errorType: string | null,
  errorCode: string | null,
  errorMessage: string | null,
) =>
  isError &&
  classifyFailure({ method: 'tools/call', errorType, errorCode, errorMessage }).failureClass === 'invalid_arguments';

export function callFactsOfRow(row: CallRow): ClientCallFacts {
  const isError = Number(row.is_error) === 1;
  return {
    timestamp: Number(row.ts),
    target: row.target ?? '',
    protocolVersion: row.protocol_version ?? '',
    isError,
    invalidArguments: invalidArguments(isError, row.error_type, row.error_code, row.error_message),
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
  };
}

function callFactsOfEvent(event: EncodedEvent): ClientCallFacts {
  return {
    timestamp: event.timestamp,
    target: event.target ?? '',
    protocolVersion: event.protocolVersion ?? '',
    isError: event.isError,
    invalidArguments: invalidArguments(event.isError, event.errorType, event.errorCode, event.errorMessage),
    durationMs: event.durationMs,
  };
}

export const labelOf = (session: { clientName: string | null; clientVersion: string | null }): ClientLabelKey => ({
  client: session.clientName ?? '',
  version: session.clientVersion ?? '',
});
const sameLabel = (a: ClientLabelKey, b: ClientLabelKey) => a.client === b.client && a.version === b.version;

/** Tools/call events with a tool name: the calls the rollup counts. */
export const isToolCall = (event: { method: string; target: string | null }) =>
  event.method === 'tools/call' && event.target !== null;

/** Stored sessions whose calls must move, each with its label before and after. */
export interface LabelMove {
  sessionId: string;
  from: ClientLabelKey;
  to: ClientLabelKey;
}

/**
 * The stored sessions the plan extends, merges or renames whose label it changes (each is read under its id before
 * merges move its events).
 */
export function labelMovesOfPlan(existing: readonly SessionRecord[], plan: SessionPlan): LabelMove[] {
  const written = new Map(plan.upserts.map((s) => [s.id, s]));
  const survivorOf = new Map(plan.retired.map((r) => [r.from, r.to]));
  const moves: LabelMove[] = [];
  for (const session of existing) {
    const now = written.get(survivorOf.get(session.id) ?? session.id);
    if (now && !sameLabel(labelOf(session), labelOf(now)))
      moves.push({ sessionId: session.id, from: labelOf(session), to: labelOf(now) });
  }
  return moves;
}

/** Relabeled fingerprint sessions (before and after, in order) as moves. */
export function labelMovesOfRelabel(before: readonly SessionRecord[], after: readonly SessionRecord[]): LabelMove[] {
  return before
    .map((session, i) => ({ sessionId: session.id, from: labelOf(session), to: labelOf(after[i]!) }))
    .filter((move) => !sameLabel(move.from, move.to));
}

/** The stored calls of the moved sessions, out of their old label and into the new one. */
export async function movedCalls(
  trx: Transaction<Database>,
  engine: Pick<StorageEngine, 'inList'>,
  moves: readonly LabelMove[],
): Promise<ClientCallChange[]> {
  if (moves.length === 0) return [];
  const bySession = new Map(moves.map((m) => [m.sessionId, m]));
  const rows = await trx
    .selectFrom('events')
    .select(['session_id', ...CALL_COLUMNS])
    // By session alone (events_session): a session id is unique across projects; with the project the planner may read
    // the project's events by time.
    .where(engine.inList('session_id', [...bySession.keys()]))
    .where('method', '=', 'tools/call')
    .where('target', 'is not', null)
    .execute();
  return rows.flatMap((row) => {
    const move = bySession.get(row.session_id)!;
    const call = callFactsOfRow(row);
    return [
      { call, label: move.from, sign: -1 as const },
      { call, label: move.to, sign: 1 as const },
    ];
  });
}

/** The transaction's new calls, under the label of the session each joined. */
export function newCalls(events: readonly EncodedEvent[], plan: SessionPlan): ClientCallChange[] {
  const written = new Map(plan.upserts.map((s) => [s.id, s]));
  return events.filter(isToolCall).map((event) => ({
    call: callFactsOfEvent(event),
    label: labelOf(written.get(plan.assignments.get(event.id)!)!),
    sign: 1 as const,
  }));
}
