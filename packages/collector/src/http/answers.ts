import type {
  EventView,
  SessionDetailResponse,
  SessionListResponse,
  SessionView,
  StatsResponse,
  ToolDetailResponse,
  ToolPathsResponse,
  ToolView,
  UserDetailResponse,
  UserListResponse,
  UserView,
  WhatIfResponse,
} from '@mcptrail/protocol';
import { encodeCursor } from '../query/cursor.js';
import type * as records from '../storage/records.js';

/**
 * The store's records shaped into the HTTP API's answers (docs/api.md): RFC 3339 times, parsed payloads, opaque
 * cursors.
 */

export const iso = (ms: number) => new Date(ms).toISOString();
const parseJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
const cursorOf = (page: records.Page<unknown>) => (page.next ? encodeCursor(page.next) : null);

export function sessionView(s: records.SessionSummary): SessionView {
  return {
    id: s.id,
    kind: s.kind,
    basis: s.basis,
    userId: s.userId,
    userName: s.userName,
    clientName: s.clientName,
    clientVersion: s.clientVersion,
    transportSessionId: s.transportSessionId,
    startedAt: iso(s.startedAt),
    endedAt: iso(s.endedAt),
    durationMs: s.endedAt - s.startedAt,
    eventCount: s.eventCount,
    errorCount: s.errorCount,
  };
}

export function eventView(e: records.StoredEvent): EventView {
  return {
    id: e.id,
    sessionId: e.sessionId,
    transportSessionId: e.transportSessionId,
    timestamp: iso(e.timestamp),
    durationMs: e.durationMs,
    method: e.method,
    target: e.target,
    user: e.user && { id: e.user.id, name: e.user.name, data: parseJson(e.user.dataJson) },
    client: e.client,
    clientFingerprint: e.clientFingerprint,
    conversationId: e.conversationId,
    server: e.server,
    protocolVersion: e.protocolVersion,
    transport: e.transport,
    isError: e.isError,
    error: e.error,
    arguments: parseJson(e.argumentsJson),
    result: parseJson(e.resultJson),
    tags: parseJson(e.tagsJson) as Record<string, string> | null,
    properties: parseJson(e.propertiesJson) as Record<string, unknown> | null,
    receivedAt: iso(e.receivedAt),
  };
}

export const sessionList = (page: records.Page<records.SessionSummary>): SessionListResponse => ({
  sessions: page.items.map(sessionView),
  nextCursor: cursorOf(page),
});

export const sessionDetail = (detail: records.SessionDetail): SessionDetailResponse => ({
  session: sessionView(detail.session),
  events: detail.events.items.map(eventView),
  nextCursor: cursorOf(detail.events),
});

function userView(u: records.UserSummary): UserView {
  return { ...u, firstSeen: iso(u.firstSeen), lastSeen: iso(u.lastSeen) };
}

export const userList = (page: records.Page<records.UserSummary>): UserListResponse => ({
  users: page.items.map(userView),
  nextCursor: cursorOf(page),
});

export const userDetail = (detail: records.UserDetail): UserDetailResponse => ({
  user: userView(detail.user),
  sessions: detail.sessions.map(sessionView),
});

function toolView(t: records.ToolSummary): ToolView {
  return {
    name: t.name,
    calls: t.calls,
    errors: t.errors,
    errorRate: t.calls === 0 ? 0 : t.errors / t.calls,
    p50Ms: t.p50Ms,
    p95Ms: t.p95Ms,
    lastCalledAt: iso(t.lastCalledAt),
  };
}

export const toolList = (tools: records.ToolSummary[]) => ({ tools: tools.map(toolView) });

export const toolDetail = (detail: records.ToolDetail): ToolDetailResponse => ({
  tool: toolView(detail.tool),
  recentFailures: detail.recentFailures.map(eventView),
  timeline: detail.timeline.map((b) => ({ ...b, bucket: iso(b.bucket) })),
  bucketMs: detail.bucketMs,
});

export const statsAnswer = (stats: records.Stats): StatsResponse => ({
  ...stats,
  from: iso(stats.from),
  to: iso(stats.to),
  errorRate: stats.events === 0 ? 0 : stats.errors / stats.events,
  timeline: stats.timeline.map((b) => ({ ...b, bucket: iso(b.bucket) })),
});

export const toolPathsAnswer = (paths: records.ToolPathsRecord): ToolPathsResponse => ({
  ...paths,
  from: iso(paths.from),
  to: iso(paths.to),
  dropOff: paths.dropOff.map((row) => ({ ...row, dropOffRate: row.reached === 0 ? 0 : row.ended / row.reached })),
});

export const whatIfAnswer = (whatIf: records.WhatIfRecord): WhatIfResponse => ({
  ...whatIf,
  from: iso(whatIf.from),
  to: iso(whatIf.to),
});
