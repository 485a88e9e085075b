/** Change from the previous period: `+23%`, `−40%`, `new`, `0%`; null when there is nothing to compare. */
export function formatTrend(current: number, previous: number | undefined): { text: string; direction: 'up' | 'down' | 'flat' } | null {
  if (previous === undefined) return null;
  if (previous === 0) return current === 0 ? { text: '0%', direction: 'flat' } : { text: 'new', direction: 'up' };
  const change = (current - previous) / previous;
  const pct = Math.round(change * 100);
  if (pct === 0) return { text: '0%', direction: 'flat' };
  return pct > 0 ? { text: `+${pct}%`, direction: 'up' } : { text: `−${Math.abs(pct)}%`, direction: 'down' };
}
