import type {
  ApiError as ProtocolApiError,
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
} from '@mcptrail/protocol';
import { ApiError } from './api-error';
import { queryString, type QueryValue } from './query-string';

export interface TimeRangeParams {
  /** Epoch milliseconds; omitted means unbounded. */
  from?: number | undefined;
  to?: number | undefined;
}

export interface SessionFilter extends TimeRangeParams {
  user?: string | undefined;
  client?: string | undefined;
  kind?: SessionKind | undefined;
  hasError?: boolean | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface PageParams {
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** Typed client for the collector's read API (docs/api.md). One instance per read key. */
export interface ApiClient {
  project(): Promise<ProjectResponse>;
  stats(range: TimeRangeParams): Promise<StatsResponse>;
  sessions(filter: SessionFilter): Promise<SessionListResponse>;
  session(id: string): Promise<SessionDetailResponse>;
  event(id: string): Promise<EventResponse>;
  users(page: PageParams): Promise<UserListResponse>;
  user(id: string): Promise<UserDetailResponse>;
  tools(range: TimeRangeParams): Promise<ToolListResponse>;
  tool(name: string, range: TimeRangeParams): Promise<ToolDetailResponse>;
}

type Fetch = typeof fetch;

export function createApiClient(readKey: string, options: { baseUrl?: string; fetch?: Fetch } = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  const doFetch: Fetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function get<T>(path: string, params: Record<string, QueryValue> = {}): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}${queryString(params)}`, {
        headers: { Authorization: `Bearer ${readKey}`, Accept: 'application/json' },
        cache: 'no-store',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
    } catch (cause) {
      throw new ApiError(0, `Could not reach the collector (${cause instanceof Error ? cause.message : String(cause)})`);
    }
    if (!response.ok) throw new ApiError(response.status, await errorMessage(response));
    return (await response.json()) as T;
  }

  const segment = encodeURIComponent;

  return {
    project: () => get('/v1/project'),
    stats: (range) => get('/v1/stats', { from: range.from, to: range.to }),
    sessions: (filter) =>
      get('/v1/sessions', {
        user: filter.user,
        client: filter.client,
        kind: filter.kind,
        hasError: filter.hasError,
        from: filter.from,
        to: filter.to,
        limit: filter.limit,
        cursor: filter.cursor,
      }),
    session: (id) => get(`/v1/sessions/${segment(id)}`),
    event: (id) => get(`/v1/events/${segment(id)}`),
    users: (page) => get('/v1/users', { limit: page.limit, cursor: page.cursor }),
    user: (id) => get(`/v1/users/${segment(id)}`),
    tools: (range) => get('/v1/tools', { from: range.from, to: range.to }),
    tool: (name, range) => get(`/v1/tools/${segment(name)}`, { from: range.from, to: range.to }),
  };
}

async function errorMessage(response: Response): Promise<string> {
  const fallback = `${response.status} ${response.statusText}`.trim();
  try {
    // The collector answers errors as `{ error: { code, message } }` (ApiError in @mcptrail/protocol).
    const body = (await response.json()) as Partial<ProtocolApiError>;
    const message = body.error?.message;
    return typeof message === 'string' && message ? `${fallback}: ${message}` : fallback;
  } catch {
    return fallback;
  }
}
