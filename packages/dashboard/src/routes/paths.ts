/**
 * Links to the dashboard's own pages. Ids come from users and clients and may hold `/`, `%`,
 * `?` or `#`: each is encoded exactly once here, and decoded exactly once by `idFromPath`.
 */
import { queryString, type QueryValue } from '../api/query-string';

const segment = (id: string) => encodeURIComponent(id);

export const paths = {
  session: (id: string, eventId?: string) => `/sessions/${segment(id)}${queryString({ event: eventId })}`,
  sessions: (filters: Record<string, QueryValue> = {}) => `/sessions${queryString(filters)}`,
  user: (id: string) => `/users/${segment(id)}`,
  tool: (name: string) => `/tools/${segment(name)}`,
  event: (id: string) => `/events/${segment(id)}`,
};

/**
 * The id in a detail page's URL (`/users/<id>`), decoded once from the raw path. React Router's
 * own params decode twice where the id holds an encoded slash (`a%2Fb` would come back as `a/b`).
 */
export function idFromPath(pathname: string): string {
  const raw = pathname.split('/')[2] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
