import type { ToolDetailResponse } from '@mcptrail/protocol';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration } from '../format/format-duration';
import { formatBucket, formatDateTime } from '../format/format-time';
import { AXIS_TICK, CHART_COLORS, LEGEND_STYLE, TOOLTIP_PROPS } from './chart-theme';
import { fillBuckets } from './fill-buckets';

interface Props {
  timeline: ToolDetailResponse['timeline'];
  bucketMs: number;
  range: { from?: number | undefined; to?: number | undefined };
}

/** A tool's calls per bucket (failures stacked), with its p95 latency when the collector gives one. */
export function ToolTrendChart({ timeline, bucketMs, range }: Props) {
  const data = fillBuckets(timeline, bucketMs, range, (bucket) => ({ bucket, calls: 0, errors: 0, p95Ms: null })).map(
    (b) => ({
      bucket: b.bucket,
      ok: Math.max(0, b.calls - b.errors),
      errors: b.errors,
      p95: b.p95Ms,
    }),
  );
  const hasLatency = data.some((d) => d.p95 !== null);
  return (
    <div className="chart" data-testid="tool-trend-chart">
      <ResponsiveContainer width="100%" height={240}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -12 }} barCategoryGap="15%">
          <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
          <XAxis
            dataKey="bucket"
            tick={AXIS_TICK}
            stroke={CHART_COLORS.grid}
            tickFormatter={(v: string) => formatBucket(v, bucketMs)}
            minTickGap={28}
          />
          <YAxis yAxisId="calls" tick={AXIS_TICK} stroke={CHART_COLORS.grid} allowDecimals={false} />
          {hasLatency && (
            <YAxis
              yAxisId="latency"
              orientation="right"
              tick={AXIS_TICK}
              stroke={CHART_COLORS.grid}
              tickFormatter={(v: number) => formatDuration(v)}
              width={64}
            />
          )}
          <Tooltip
            {...TOOLTIP_PROPS}
            labelFormatter={(v) => formatDateTime(String(v))}
            formatter={(value, name) => (name === 'p95 latency' ? formatDuration(Number(value)) : value)}
          />
          <Legend wrapperStyle={LEGEND_STYLE} itemSorter={null} />
          <Bar yAxisId="calls" dataKey="ok" name="Calls" stackId="c" fill={CHART_COLORS.ok} isAnimationActive={false} />
          <Bar
            yAxisId="calls"
            dataKey="errors"
            name="Errors"
            stackId="c"
            fill={CHART_COLORS.error}
            isAnimationActive={false}
          />
          {hasLatency && (
            <Line
              yAxisId="latency"
              dataKey="p95"
              name="p95 latency"
              stroke={CHART_COLORS.line}
              strokeWidth={2}
              dot={{ r: 2.5, fill: 'var(--panel)' }}
              connectNulls
              type="linear"
              isAnimationActive={false}
            />
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
