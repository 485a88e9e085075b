/**
 * Change from the previous period: `↑ 23%`, `↓ 40%`, `new` (none before), `0%`. The arrow
 * says which way, not whether that is good.
 */
export function formatTrend(current: number, previous: number): { text: string; direction: 'up' | 'down' | 'flat' } {
  if (previous === 0) return current === 0 ? { text: '0%', direction: 'flat' } : { text: 'new', direction: 'up' };
  const pct = Math.round(((current - previous) / previous) * 100);
  if (pct === 0) return { text: '0%', direction: 'flat' };
  return pct > 0 ? { text: `↑ ${pct}%`, direction: 'up' } : { text: `↓ ${Math.abs(pct)}%`, direction: 'down' };
}
