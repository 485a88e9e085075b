/** Shapes of the query API's answers (docs/api.md); the dashboard's typed client uses them. */

import type { ClientSource } from './event.js';

/**
 * `stateful`: a transport session id; `conversation`: an opt-in conversation token;
 * `grouped`: user + client + inactivity window; `anonymous`: one event alone.
 */
export type SessionKind = 'stateful' | 'conversation' | 'grouped' | 'anonymous';

/**
 * How a session was formed, so that a reader can trust or question it: exactly
 * known (`transport-session`, `conversation-token`), inferred from the user, the
 * client's name or fingerprint and the inactivity window, or one anonymous event.
 */
export type SessionBasis =
  | 'transport-session'
  | 'conversation-token'
  | 'user-client-window'
  | 'user-fingerprint-window'
  | 'anonymous';

export interface SessionView {
  /** `ses_…`, unique across projects. */
  id: string;
  kind: SessionKind;
  basis: SessionBasis;
  userId: string | null;
  userName: string | null;
  /** The raw client name events carried; null when none named one. */
  clientName: string | null;
  clientVersion: string | null;
  /** The raw transport session id (stateful sessions only). */
  transportSessionId: string | null;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  eventCount: number;
  errorCount: number;
}

export interface EventView {
  id: string;
  /** The `ses_…` session the collector assigned. */
  sessionId: string;
  /** The transport session id the event came with, if any. */
  transportSessionId: string | null;
  timestamp: string;
  durationMs: number | null;
  method: string;
  target: string | null;
  user: { id: string; name: string | null; data: unknown } | null;
  client: { name: string; version: string | null; source: ClientSource } | null;
  clientFingerprint: string | null;
  conversationId: string | null;
  server: { name: string; version: string | null } | null;
  protocolVersion: string | null;
  transport: string | null;
  isError: boolean;
  error: { type: string | null; message: string; code: string | null; stack: string | null } | null;
  arguments: unknown;
  result: unknown;
  tags: Record<string, string> | null;
  properties: Record<string, unknown> | null;
  receivedAt: string;
}

export interface SessionListResponse {
  sessions: SessionView[];
  nextCursor: string | null;
}

export interface SessionDetailResponse {
  session: SessionView;
  /** In timestamp order; one page (`limit`, default 1000). */
  events: EventView[];
  /** Cursor for the next page of events, or null. */
  nextCursor: string | null;
}

export interface EventResponse {
  event: EventView;
}

export interface UserView {
  id: string;
  name: string | null;
  firstSeen: string;
  lastSeen: string;
  sessionCount: number;
  eventCount: number;
  errorCount: number;
  clients: string[];
}

export interface UserListResponse {
  users: UserView[];
  nextCursor: string | null;
}

export interface ToolView {
  name: string;
  calls: number;
  errors: number;
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  lastCalledAt: string;
}

export interface ToolListResponse {
  tools: ToolView[];
}

export interface ClientView {
  name: string | null;
  sessionCount: number;
  /** Sessions less the one-request anonymous ones. */
  conversationCount: number;
  eventCount: number;
  userCount: number;
}

export interface StatsResponse {
  from: string | null;
  to: string | null;
  sessions: number;
  /** Sessions less the one-request anonymous ones: what can be read as conversations. */
  conversations: number;
  /** Anonymous sessions of a single request (every anonymous event is a session of its own). */
  oneRequestAnonymous: number;
  events: number;
  errors: number;
  errorRate: number;
  users: number;
  p95Ms: number | null;
  /** Events the SDKs reported as discarded, added up since the project was created. */
  dropped: number;
  clients: ClientView[];
  /** Events per bucket over the range, for charts. */
  timeline: { bucket: string; events: number; errors: number; sessions: number }[];
  bucketMs: number;
}

export interface ProjectCreated {
  id: string;
  name: string;
  writeKey: string;
  readKey: string;
}

export interface UserDetailResponse {
  user: UserView;
  sessions: SessionView[];
}

export interface ToolDetailResponse {
  tool: ToolView;
  /** Most recent failed calls, newest first. */
  recentFailures: EventView[];
  timeline: { bucket: string; calls: number; errors: number; p95Ms: number | null }[];
  bucketMs: number;
}

/** A project as answers show it: never its keys. */
export interface ProjectView {
  id: string;
  name: string;
  createdAt: string;
}

export interface ProjectResponse {
  project: ProjectView;
}

/** `GET /v1/projects` (admin), oldest first. */
export interface ProjectListResponse {
  projects: ProjectView[];
}

/**
 * A project's new key (`POST /v1/projects/{id}/keys`), shown only in this answer;
 * the old key of that kind no longer works.
 */
export interface ProjectKeyCreated {
  id: string;
  name: string;
  kind: 'write' | 'read';
  key: string;
}
