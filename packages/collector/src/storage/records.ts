import type {
  ClientView,
  SessionView,
  StatsResponse,
  ToolDetailResponse,
  ToolDropOffView,
  ToolPathsResponse,
  ToolView,
  UserView,
  WhatIfResponse,
} from '@mcptrail/protocol';

/**
 * What the store answers queries with: domain records, times as epoch
 * milliseconds, payloads as the JSON text stored, nothing derived. The HTTP
 * layer shapes them into the API's answers (`http/answers.ts`); where a record
 * is its answer but for that, it is written as the answer's type with those fields replaced.
 */

/** `T` with its RFC 3339 times (`K`) as epoch milliseconds. */
type WithEpochTimes<T, K extends keyof T> = Omit<T, K> & { [P in K]: number };

/** The sort position of a page's last row (a time and an id); the next page starts after it. */
export type PagePosition = [time: number, id: string];

export interface Page<T> {
  items: T[];
  /** Where the next page starts; null on the last page. */
  next: PagePosition | null;
}

export type SessionSummary = WithEpochTimes<Omit<SessionView, 'durationMs'>, 'startedAt' | 'endedAt'>;

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

export type UserSummary = WithEpochTimes<UserView, 'firstSeen' | 'lastSeen'>;

export interface UserDetail {
  user: UserSummary;
  sessions: SessionSummary[];
}

export type ToolSummary = WithEpochTimes<Omit<ToolView, 'errorRate'>, 'lastCalledAt'>;

export interface ToolDetail {
  tool: ToolSummary;
  /** Newest first. */
  recentFailures: StoredEvent[];
  timeline: WithEpochTimes<ToolDetailResponse['timeline'][number], 'bucket'>[];
  bucketMs: number;
}

export type ClientSummary = ClientView;

export type Stats = WithEpochTimes<Omit<StatsResponse, 'errorRate' | 'timeline'>, 'from' | 'to'> & {
  timeline: WithEpochTimes<StatsResponse['timeline'][number], 'bucket'>[];
};

export type ToolPathsRecord = WithEpochTimes<Omit<ToolPathsResponse, 'dropOff'>, 'from' | 'to'> & {
  dropOff: Omit<ToolDropOffView, 'dropOffRate'>[];
};

export type WhatIfRecord = WithEpochTimes<WhatIfResponse, 'from' | 'to'>;
