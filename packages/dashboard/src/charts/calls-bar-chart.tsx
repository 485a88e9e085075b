import { Bar, Legend, Tooltip } from 'recharts';
import { revealControls } from '../format/reveal-controls';
import { CategoryBarChart } from './category-bar-chart';
import { CategoryTick, measureAxisText } from './category-tick';
import { CHART_COLORS, LEGEND_STYLE, TOOLTIP_PROPS } from './chart-theme';
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
  const labelWidth = labelWidthFor(rows, width);
  return (
    <CategoryBarChart
      rows={rows}
      height={Math.max(120, rows.length * 34 + 48)}
      margin={{ top: 4, right: 16, bottom: 0, left: 8 }}
      barGap={6}
      labelWidth={labelWidth + 10}
      tick={(props) => <CategoryTick {...props} labelWidth={labelWidth} />}
      testId={testId}
      ref={ref}
    >
      <Tooltip {...TOOLTIP_PROPS} labelFormatter={(label) => revealControls(String(label))} />
      <Legend wrapperStyle={LEGEND_STYLE} itemSorter={null} />
      <Bar dataKey="ok" name={okLabel} stackId="c" fill={CHART_COLORS.ok} isAnimationActive={false} />
      <Bar dataKey="errors" name="Errors" stackId="c" fill={CHART_COLORS.error} isAnimationActive={false} />
    </CategoryBarChart>
  );
}
