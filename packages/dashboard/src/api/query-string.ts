export type QueryValue = string | number | boolean | null | undefined;

/** `?a=1&b=x` from a record, leaving out null, undefined and empty strings. */
export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
