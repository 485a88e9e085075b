import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, CHART_COLORS, LEGEND_STYLE, SERIES_COLORS, TOOLTIP_PROPS } from './chart-theme';

export interface HistogramSeries {
  name: string;
  /** Sessions per bucket, in the order of `buckets`. */
  counts: number[];
}

/** Several distributions over the same buckets, side by side: one colour per series. */
export function HistogramChart({
  buckets,
  series,
  testId,
}: {
  buckets: string[];
  series: HistogramSeries[];
  testId?: string;
}) {
  const rows = buckets.map((label, i) =>
    Object.fromEntries([['label', label], ...series.map((s, j) => [`s${j}`, s.counts[i] ?? 0])]),
  );
  return (
    <div className="chart" data-testid={testId}>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }} barCategoryGap="18%">
          <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
          <XAxis
            dataKey="label"
            tick={AXIS_TICK}
            stroke={CHART_COLORS.grid}
            interval="preserveStartEnd"
            minTickGap={4}
          />
          <YAxis tick={AXIS_TICK} stroke={CHART_COLORS.grid} allowDecimals={false} width={48} />
          <Tooltip {...TOOLTIP_PROPS} />
          <Legend wrapperStyle={LEGEND_STYLE} itemSorter={null} />
          {series.map((s, j) => (
            <Bar
              key={s.name}
              dataKey={`s${j}`}
              name={s.name}
              fill={SERIES_COLORS[j % SERIES_COLORS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
