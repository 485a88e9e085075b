import type { YAxisTickContentProps } from 'recharts';
import { revealControls } from '../format/reveal-controls';
import { AXIS_FONT_SIZE, CHART_COLORS } from './chart-theme';
import { fitLabel } from './fit-label';

let context: CanvasRenderingContext2D | null | undefined;

/** Text width in the axis font (the page's own font family), measured on a canvas. */
export function measureAxisText(text: string): number {
  if (context === undefined) {
    context = document.createElement('canvas').getContext('2d');
    if (context) context.font = `${AXIS_FONT_SIZE}px ${getComputedStyle(document.documentElement).fontFamily}`;
  }
  return context ? context.measureText(text).width : text.length * AXIS_FONT_SIZE * 0.6;
}

/**
 * A category label (a tool or client name) cut to the axis width with an ellipsis, never
 * clipped mid-letter; the whole name on hover (`<title>`). Bidi controls are shown as markers.
 */
export function CategoryTick({ x, y, payload, labelWidth }: YAxisTickContentProps & { labelWidth: number }) {
  const full = revealControls(String(payload.value));
  const shown = fitLabel(full, labelWidth, measureAxisText);
  return (
    <text x={Number(x)} y={Number(y)} dy="0.355em" textAnchor="end" fontSize={AXIS_FONT_SIZE} fill={CHART_COLORS.axis}>
      <title>{full}</title>
      {shown}
    </text>
  );
}
