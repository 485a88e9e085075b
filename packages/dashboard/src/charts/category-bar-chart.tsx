import type { ComponentProps, ReactNode, Ref } from 'react';
import { BarChart, CartesianGrid, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, CHART_COLORS } from './chart-theme';

/**
 * Horizontal bars, one row per category (each row's `label`) along a count axis; `children` are the bars, tooltip
 * and legend.
 */
export function CategoryBarChart({
  rows,
  height,
  margin,
  barGap,
  labelWidth,
  tick = AXIS_TICK,
  testId,
  ref,
  children,
}: {
  rows: { label: string }[];
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  barGap: number;
  /** Room for the labels, beside the bars. */
  labelWidth: number;
  /** How a label is drawn; the axis font by default. */
  tick?: ComponentProps<typeof YAxis>['tick'];
  testId: string | undefined;
  ref?: Ref<HTMLDivElement>;
  children: ReactNode;
}) {
  return (
    <div className="chart" data-testid={testId} ref={ref}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} layout="vertical" margin={margin} barCategoryGap={barGap}>
          <CartesianGrid stroke={CHART_COLORS.grid} horizontal={false} />
          <XAxis type="number" tick={AXIS_TICK} stroke={CHART_COLORS.grid} allowDecimals={false} />
          <YAxis
            type="category"
            dataKey="label"
            tick={tick}
            stroke={CHART_COLORS.grid}
            width={labelWidth}
            interval={0}
          />
          {children}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
