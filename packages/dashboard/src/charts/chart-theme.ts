/** Colours and axis styling shared by every chart (kept in step with styles.css). */
export const CHART_COLORS = {
  ok: '#6366f1',
  error: '#ef4444',
  line: '#0f766e',
  grid: '#e5e7eb',
  axis: '#6b7280',
} as const;

export const AXIS_TICK = { fontSize: 12, fill: CHART_COLORS.axis } as const;
