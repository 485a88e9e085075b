/** `ses_…6a9964e5a1` — the tail tells sessions apart (ids may share a time prefix); show the full id on hover. */
export function shortId(id: string): string {
  if (id.length <= 18) return id;
  const prefix = id.startsWith('ses_') ? 'ses_' : '';
  return `${prefix}…${id.slice(-10)}`;
}
