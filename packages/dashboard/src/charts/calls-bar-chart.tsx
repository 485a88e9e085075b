import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { revealControls } from '../format/reveal-controls';
import { CategoryTick, measureAxisText } from './category-tick';
import { AXIS_TICK, CHART_COLORS, LEGEND_STYLE, TOOLTIP_PROPS } from './chart-theme';
import { useElementWidth } from './use-element-width';

export interface CallsRow {
  label: string;
  ok: number;
  errors: number;
}

/** Room for labels: what the longest needs, at most 40% of the chart or 280 px (and at least 64 px). */
function labelWidthFor(rows: CallsRow[], chartWidth: number): number {
  const longest = Math.max(0, ...rows.map((r) => measureAxisText(revealControls(r.label))));
  return Math.round(Math.max(64, Math.min(longest, chartWidth * 0.4, 280)));
}

/** Horizontal bars of calls per item (tools, clients), failures stacked in red. */
export function CallsBarChart({
  rows,
  okLabel = 'OK',
  testId,
}: {
  rows: CallsRow[];
  okLabel?: string;
  testId?: string;
}) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const height = Math.max(120, rows.length * 34 + 48);
  const labelWidth = labelWidthFor(rows, width);
  return (
    <div className="chart" data-testid={testId} ref={ref}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }} barCategoryGap={6}>
          <CartesianGrid stroke={CHART_COLORS.grid} horizontal={false} />
          <XAxis type="number" tick={AXIS_TICK} stroke={CHART_COLORS.grid} allowDecimals={false} />
          <YAxis
            type="category"
            dataKey="label"
            stroke={CHART_COLORS.grid}
            width={labelWidth + 10}
            interval={0}
            tick={(props) => <CategoryTick {...props} labelWidth={labelWidth} />}
          />
          <Tooltip {...TOOLTIP_PROPS} labelFormatter={(label) => revealControls(String(label))} />
          <Legend wrapperStyle={LEGEND_STYLE} itemSorter={null} />
          <Bar dataKey="ok" name={okLabel} stackId="c" fill={CHART_COLORS.ok} isAnimationActive={false} />
          <Bar dataKey="errors" name="Errors" stackId="c" fill={CHART_COLORS.error} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
