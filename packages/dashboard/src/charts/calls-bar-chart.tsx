import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, CHART_COLORS } from './chart-theme';

export interface CallsRow {
  label: string;
  ok: number;
  errors: number;
}

/** Horizontal bars of calls per item (tools, clients), failures stacked in red. */
export function CallsBarChart({ rows, okLabel = 'OK', testId }: { rows: CallsRow[]; okLabel?: string; testId?: string }) {
  const height = Math.max(120, rows.length * 34 + 48);
  return (
    <div className="chart" data-testid={testId}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }} barCategoryGap={6}>
          <CartesianGrid stroke={CHART_COLORS.grid} horizontal={false} />
          <XAxis type="number" tick={AXIS_TICK} allowDecimals={false} />
          <YAxis type="category" dataKey="label" tick={AXIS_TICK} width={130} interval={0} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
          <Bar dataKey="ok" name={okLabel} stackId="c" fill={CHART_COLORS.ok} isAnimationActive={false} />
          <Bar dataKey="errors" name="Errors" stackId="c" fill={CHART_COLORS.error} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
