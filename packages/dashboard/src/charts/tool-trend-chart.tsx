import type { ToolDetailResponse } from '@mcptrail/protocol';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration } from '../format/format-duration';
import { formatBucket, formatDateTime } from '../format/format-time';
import { AXIS_TICK, CHART_COLORS } from './chart-theme';

/** A tool's calls per bucket (failures stacked) and its p95 latency on the right axis. */
export function ToolTrendChart({ timeline, bucketMs }: { timeline: ToolDetailResponse['timeline']; bucketMs: number }) {
  const data = timeline.map((b) => ({ bucket: b.bucket, ok: Math.max(0, b.calls - b.errors), errors: b.errors, p95: b.p95Ms }));
  return (
    <div className="chart" data-testid="tool-trend-chart">
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
          <XAxis dataKey="bucket" tick={AXIS_TICK} tickFormatter={(v: string) => formatBucket(v, bucketMs)} minTickGap={24} />
          <YAxis yAxisId="calls" tick={AXIS_TICK} allowDecimals={false} />
          <YAxis
            yAxisId="latency"
            orientation="right"
            tick={AXIS_TICK}
            tickFormatter={(v: number) => formatDuration(v)}
            width={64}
          />
          <Tooltip
            labelFormatter={(v) => formatDateTime(String(v))}
            formatter={(value, name) => (name === 'p95 latency' ? formatDuration(Number(value)) : value)}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="calls" dataKey="ok" name="Calls" stackId="c" fill={CHART_COLORS.ok} isAnimationActive={false} />
          <Bar yAxisId="calls" dataKey="errors" name="Errors" stackId="c" fill={CHART_COLORS.error} isAnimationActive={false} />
          <Line
            yAxisId="latency"
            dataKey="p95"
            name="p95 latency"
            stroke={CHART_COLORS.line}
            strokeWidth={2}
            dot={{ r: 2.5 }}
            connectNulls
            type="linear"
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
