import { Bar, Tooltip } from 'recharts';
import { CategoryBarChart } from './category-bar-chart';
import { CHART_COLORS, TOOLTIP_PROPS } from './chart-theme';

const LABEL_WIDTH = 64;

/** Sessions per bucket, one horizontal bar each: bucket labels stay whole on a phone. */
export function SessionShapeChart({ rows, testId }: { rows: { label: string; sessions: number }[]; testId: string }) {
  return (
    <CategoryBarChart
      rows={rows}
      height={rows.length * 26 + 32}
      margin={{ top: 4, right: 16, bottom: 0, left: 4 }}
      barGap={4}
      labelWidth={LABEL_WIDTH}
      testId={testId}
    >
      <Tooltip {...TOOLTIP_PROPS} />
      <Bar dataKey="sessions" name="Sessions" fill={CHART_COLORS.ok} isAnimationActive={false} />
    </CategoryBarChart>
  );
}
