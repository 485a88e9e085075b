import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, CHART_COLORS, TOOLTIP_PROPS } from './chart-theme';

const LABEL_WIDTH = 64;

/** Sessions per bucket, one horizontal bar each: bucket labels stay whole on a phone. */
export function SessionShapeChart({ rows, testId }: { rows: { label: string; sessions: number }[]; testId: string }) {
  return (
    <div className="chart" data-testid={testId}>
      <ResponsiveContainer width="100%" height={rows.length * 26 + 32}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 4 }} barCategoryGap={4}>
          <CartesianGrid stroke={CHART_COLORS.grid} horizontal={false} />
          <XAxis type="number" tick={AXIS_TICK} stroke={CHART_COLORS.grid} allowDecimals={false} />
          <YAxis
            type="category"
            dataKey="label"
            tick={AXIS_TICK}
            stroke={CHART_COLORS.grid}
            width={LABEL_WIDTH}
            interval={0}
          />
          <Tooltip {...TOOLTIP_PROPS} />
          <Bar dataKey="sessions" name="Sessions" fill={CHART_COLORS.ok} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
