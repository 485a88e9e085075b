import type { ClientSource, SessionKind } from '@mcptrail/protocol';

/** Table shapes as the SQL builder sees them; identical on every engine. */
export interface Database {
  projects: ProjectRow;
  events: EventRow;
  sessions: SessionRow;
  session_aliases: SessionAliasRow;
  sender_drops: SenderDropsRow;
  fingerprint_labels: FingerprintLabelRow;
  rollup_calls: RollupCallsRow;
  rollup_active_users: RollupActiveUserRow;
  rollup_session_starts: RollupSessionStartsRow;
  rollup_client_users: RollupClientUserRow;
  rollup_client_calls: RollupClientCallsRow;
  rollup_client_latency: RollupClientLatencyRow;
  user_summaries: UserSummaryRow;
  user_clients: UserClientRow;
  body_dictionaries: BodyDictionaryRow;
  body_blocks: BodyBlockRow;
}

/**
 * Migration 0005 (docs/adr/0204): every rollup row is per project, `grain` (`hour` | `day`) and `bucket` (its start,
 * epoch ms).
 */
interface RollupRow {
  project_id: string;
  grain: 'hour' | 'day';
  bucket: number;
}

export interface RollupCallsRow extends RollupRow {
  method: string;
  /** Tool or prompt name; '' for other methods. */
  target: string;
  calls: number;
  errors: number;
  last_ts: number;
  /** A `LatencySketch` of the durations. */
  durations: Uint8Array | null;
}

export interface RollupActiveUserRow extends RollupRow {
  user_id: string;
}

export interface RollupSessionStartsRow extends RollupRow {
  /** '' when the sessions named no client. */
  client_name: string;
  kind: SessionKind;
  sessions: number;
  events: number;
}

export interface RollupClientUserRow extends RollupRow {
  client_name: string;
  user_id: string;
  /** Sessions of this user and client that started in the bucket (rows at 0 stay, and are skipped). */
  sessions: number;
}

/**
 * Migration 0008 (docs/adr/0205): tool calls by their session's client label, client version, protocol version and
 * tool.
 */
export interface RollupClientCallsRow extends RollupRow {
  /** '' for none, in all four. */
  client_name: string;
  client_version: string;
  protocol_version: string;
  target: string;
  calls: number;
  errors: number;
  invalid_arguments: number;
}

/**
 * Migration 0008: the durations of those calls per client label, version and protocol version (every tool together).
 */
export interface RollupClientLatencyRow extends RollupRow {
  client_name: string;
  client_version: string;
  protocol_version: string;
  /** A `LatencySketch`. */
  durations: Uint8Array | null;
}

export interface UserSummaryRow {
  project_id: string;
  user_id: string;
  name: string | null;
  name_at: number | null;
  first_seen: number;
  last_seen: number;
  sessions: number;
  events: number;
  errors: number;
}

export interface UserClientRow {
  project_id: string;
  user_id: string;
  client_name: string;
  sessions: number;
}

/** Migration 0012: each session of a fingerprint key that names its client, with the best label it names (ADR 0104). */
export interface FingerprintLabelRow {
  project_id: string;
  group_key: string;
  started_at: number;
  client_name: string;
  client_version: string | null;
  client_rank: number;
  named_at: number;
}

/** Migration 0003: the largest running total of discarded events each sender reported. */
export interface SenderDropsRow {
  project_id: string;
  sender_id: string;
  dropped_total: number;
}

export interface ProjectRow {
  id: string;
  name: string;
  write_key_hash: string;
  read_key_hash: string;
  created_at: number;
  /** Events SDKs reported as discarded, added up. */
  dropped_events: number;
  /** Migration 0014: the longest any of its sessions has lasted (end − start), so a range can seek by end. */
  longest_session_ms: number;
}

export interface EventRow {
  project_id: string;
  id: string;
  session_id: string;
  transport_session_id: string | null;
  ts: number;
  duration_ms: number | null;
  method: string;
  target: string | null;
  user_id: string | null;
  client_name: string | null;
  client_version: string | null;
  /** Migration 0004: where the SDK found the client name (null: `clientInfo`). */
  client_source: ClientSource | null;
  client_fingerprint: string | null;
  conversation_id: string | null;
  protocol_version: string | null;
  is_error: number;
  error_type: string | null;
  error_message: string | null;
  error_code: string | null;
  /** Migration 0006: every column no query reads by, as one compressed `EventBody` (storage/event-body.ts). */
  body: Uint8Array;
  received_at: number;
}

/** Migration 0010 (docs/adr/0207): the compressed bodies of up to 64 events of one request; keyed by a hash of them. */
export interface BodyBlockRow {
  project_id: string;
  key: Uint8Array;
  bytes: Uint8Array;
}

/**
 * Migration 0006: a project's compression dictionaries for event bodies; immutable once stored. Written no more since
 * migration 0010; the bodies stored with them are read with them.
 */
export interface BodyDictionaryRow {
  project_id: string;
  id: number;
  dictionary: Uint8Array;
  created_at: number;
}

export interface SessionRow {
  id: string;
  project_id: string;
  kind: SessionKind;
  group_key: string;
  started_at: number;
  ended_at: number;
  first_event_id: string;
  event_count: number;
  error_count: number;
  user_id: string | null;
  user_name: string | null;
  client_name: string | null;
  client_version: string | null;
  transport_session_id: string | null;
  /**
   * Migration 0004: how trusted the client label's source is; null in rows written before it (read as `clientInfo`).
   */
  client_rank: number | null;
  /** When each label was seen (migration 0002; null in rows written before it). */
  user_id_at: number | null;
  user_name_at: number | null;
  client_name_at: number | null;
  client_version_at: number | null;
}

export interface SessionAliasRow {
  project_id: string;
  old_id: string;
  new_id: string;
}
