import type {
  ClientView,
  EventView,
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

/** `T` with its JSON values (`K`) as the text stored, each as `<name>Json`. */
type WithJsonText<T, K extends keyof T & string> = Omit<T, K> & { [P in K as `${P}Json`]: string | null };

export type StoredEvent = WithJsonText<
  WithEpochTimes<Omit<EventView, 'user'>, 'timestamp' | 'receivedAt'>,
  'arguments' | 'result' | 'tags' | 'properties'
> & { user: WithJsonText<NonNullable<EventView['user']>, 'data'> | null };

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
