import type { SessionBasis, SessionKind } from '@mcptrail/protocol';

/**
 * What the store answers queries with: domain records, times as epoch
 * milliseconds, payloads as the JSON text stored. The HTTP layer shapes them
 * into the API's answers (`http/answers.ts`).
 */

/** The sort position of a page's last row (a time and an id); the next page starts after it. */
export type PagePosition = [time: number, id: string];

export interface Page<T> {
  items: T[];
  /** Where the next page starts; null on the last page. */
  next: PagePosition | null;
}

export interface SessionSummary {
  id: string;
  kind: SessionKind;
  basis: SessionBasis;
  userId: string | null;
  userName: string | null;
  clientName: string | null;
  clientVersion: string | null;
  transportSessionId: string | null;
  startedAt: number;
  endedAt: number;
  eventCount: number;
  errorCount: number;
}

export interface StoredEvent {
  id: string;
  sessionId: string;
  transportSessionId: string | null;
  timestamp: number;
  durationMs: number | null;
  method: string;
  target: string | null;
  user: { id: string; name: string | null; dataJson: string | null } | null;
  client: { name: string; version: string | null; source: 'clientInfo' | 'header' | 'userAgent' } | null;
  clientFingerprint: string | null;
  conversationId: string | null;
  server: { name: string; version: string | null } | null;
  protocolVersion: string | null;
  transport: string | null;
  isError: boolean;
  error: { type: string | null; message: string; code: string | null; stack: string | null } | null;
  argumentsJson: string | null;
  resultJson: string | null;
  tagsJson: string | null;
  propertiesJson: string | null;
  receivedAt: number;
}

export interface SessionDetail {
  session: SessionSummary;
  events: Page<StoredEvent>;
}

export interface UserSummary {
  id: string;
  name: string | null;
  firstSeen: number;
  lastSeen: number;
  sessionCount: number;
  eventCount: number;
  errorCount: number;
  clients: string[];
}

export interface UserDetail {
  user: UserSummary;
  sessions: SessionSummary[];
}

export interface ToolSummary {
  name: string;
  calls: number;
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
  lastCalledAt: number;
}

export interface ToolDetail {
  tool: ToolSummary;
  /** Newest first. */
  recentFailures: StoredEvent[];
  timeline: { bucket: number; calls: number; errors: number; p95Ms: number | null }[];
  bucketMs: number;
}

export interface ClientSummary {
  name: string | null;
  sessionCount: number;
  conversationCount: number;
  eventCount: number;
  userCount: number;
}

export interface Stats {
  from: number;
  to: number;
  sessions: number;
  conversations: number;
  oneRequestAnonymous: number;
  events: number;
  errors: number;
  users: number;
  p95Ms: number | null;
  dropped: number;
  clients: ClientSummary[];
  timeline: { bucket: number; events: number; errors: number; sessions: number }[];
  bucketMs: number;
}
