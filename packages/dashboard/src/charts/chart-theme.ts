/**
 * Colours of every chart: the theme's custom properties (styles.css), which SVG attributes
 * and inline styles resolve, so charts follow light and dark mode without re-rendering.
 */
export const CHART_COLORS = {
  ok: 'var(--chart-ok)',
  error: 'var(--chart-error)',
  line: 'var(--chart-line)',
  grid: 'var(--chart-grid)',
  axis: 'var(--chart-axis)',
} as const;

export const SERIES_COLORS = Array.from({ length: 8 }, (_, i) => `var(--series-${i + 1})`);

export const AXIS_FONT_SIZE = 12;
export const AXIS_TICK = { fontSize: AXIS_FONT_SIZE, fill: CHART_COLORS.axis } as const;

/** Tooltip and legend styling shared by every chart: themed, and long names wrap inside the box. */
export const TOOLTIP_PROPS = {
  contentStyle: {
    background: 'var(--panel)',
    border: '1px solid var(--border)',
    borderRadius: 6,
    color: 'var(--text)',
    whiteSpace: 'normal',
    overflowWrap: 'anywhere',
  },
  labelStyle: { color: 'var(--text)', fontWeight: 600 },
  wrapperStyle: { maxWidth: 'min(360px, 80vw)', zIndex: 5 },
  cursor: { fill: 'var(--chart-cursor)' },
} as const;
export const LEGEND_STYLE = { fontSize: AXIS_FONT_SIZE } as const;
