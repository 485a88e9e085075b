import type { ClientsResponse, FailuresQuery, FailuresResponse, SessionShapeResponse } from './failure-insights.js';
import type {
  EventResponse,
  ProjectResponse,
  SessionDetailResponse,
  SessionKind,
  SessionListResponse,
  StatsResponse,
  ToolDetailResponse,
  ToolListResponse,
  UserDetailResponse,
  UserListResponse,
} from './api.js';
import type { ToolPathsResponse, WhatIfResponse } from './path-insights.js';

/** `from`/`to`: RFC 3339 or epoch milliseconds. */
export interface TimeRangeQuery {
  from?: number | string | undefined;
  to?: number | string | undefined;
}

export interface PageQuery {
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

export interface ToolPathsQuery extends TimeRangeQuery {
  /** Steps of the tree, 1–6 (default 4). */
  depth?: number | undefined;
  /** Next tools shown per step, 1–10 (default 5). */
  breadth?: number | undefined;
}

export interface WhatIfQuery extends TimeRangeQuery {
  /** Inactivity timeouts, comma-separated durations (`5m,15m,30m,60m`, the default); at most 8. */
  timeout?: string | undefined;
}

export interface SessionListQuery extends TimeRangeQuery, PageQuery {
  user?: string | undefined;
  client?: string | undefined;
  kind?: SessionKind | undefined;
  hasError?: boolean | undefined;
}

/**
 * Every read endpoint of the HTTP API (docs/api.md), by path: what its query
 * takes and what it answers. Written once, here: the collector's routes and the
 * dashboard's client are typed from it.
 */
export interface ReadRoutes {
  '/v1/project': { query: Record<string, never>; response: ProjectResponse };
  '/v1/stats': { query: TimeRangeQuery; response: StatsResponse };
  '/v1/insights/paths': { query: ToolPathsQuery; response: ToolPathsResponse };
  '/v1/insights/what-if': { query: WhatIfQuery; response: WhatIfResponse };
  '/v1/insights/failures': { query: FailuresQuery; response: FailuresResponse };
  '/v1/insights/session-shape': { query: TimeRangeQuery; response: SessionShapeResponse };
  '/v1/insights/clients': { query: TimeRangeQuery; response: ClientsResponse };
  '/v1/sessions': { query: SessionListQuery; response: SessionListResponse };
  '/v1/sessions/:id': { query: PageQuery; response: SessionDetailResponse };
  '/v1/events/:id': { query: Record<string, never>; response: EventResponse };
  '/v1/users': { query: PageQuery; response: UserListResponse };
  '/v1/users/:id': { query: Record<string, never>; response: UserDetailResponse };
  '/v1/tools': { query: TimeRangeQuery; response: ToolListResponse };
  '/v1/tools/:name': { query: TimeRangeQuery; response: ToolDetailResponse };
}

export type ReadPath = keyof ReadRoutes;

/** `'/v1/tools/:name'` → `{ name: string }`. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;
