import type { ApiError as ProtocolApiError, PathParams, ReadPath, ReadRoutes } from '@mcptrail/protocol';
import { ApiError } from './api-error';
import { queryString, type QueryValue } from './query-string';

/** A path's `:name` segments, when it has any, and its query. */
export type RequestOptions<P extends ReadPath> = (keyof PathParams<P> extends never
  ? { params?: undefined }
  : { params: PathParams<P> }) & {
  query?: ReadRoutes[P]['query'];
};

/**
 * Typed client for the collector's read API, derived from the protocol's route
 * table (`ReadRoutes`): a path, its parameters and its answer are written once,
 * in `@mcptrail/protocol`. One instance per read key.
 */
export interface ApiClient {
  get<P extends ReadPath>(
    path: P,
    ...options: keyof PathParams<P> extends never ? [RequestOptions<P>?] : [RequestOptions<P>]
  ): Promise<ReadRoutes[P]['response']>;
}

type Fetch = typeof fetch;

/** `/v1/tools/:name` with `{ name: 'a/b' }` → `/v1/tools/a%2Fb`. */
function fillPath(path: string, params: Record<string, string> | undefined): string {
  return path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params?.[name] ?? ''));
}

export function createApiClient(readKey: string, options: { baseUrl?: string; fetch?: Fetch } = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  const doFetch: Fetch = options.fetch ?? ((input, init) => fetch(input, init));

  return {
    async get(path, ...[request]) {
      const params = request?.params as Record<string, string> | undefined;
      const query = queryString((request?.query ?? {}) as Record<string, QueryValue>);
      const url = `${baseUrl}${fillPath(path, params)}${query}`;
      let response: Response;
      try {
        response = await doFetch(url, {
          headers: { Authorization: `Bearer ${readKey}`, Accept: 'application/json' },
          cache: 'no-store',
          credentials: 'omit',
          referrerPolicy: 'no-referrer',
        });
      } catch (cause) {
        throw new ApiError(
          0,
          `Could not reach the collector (${cause instanceof Error ? cause.message : String(cause)})`,
        );
      }
      if (!response.ok) throw new ApiError(response.status, await errorMessage(response));
      return response.json();
    },
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
