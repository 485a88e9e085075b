import type { ToolDetailResponse } from '@mcptrail/protocol';
import { Line, YAxis } from 'recharts';
import { formatDuration } from '../format/format-duration';
import { BucketChart } from './bucket-chart';
import { AXIS_TICK, CHART_COLORS } from './chart-theme';
import { fillBuckets } from './fill-buckets';

const P95_NAME = 'p95 latency';

interface Props {
  timeline: ToolDetailResponse['timeline'];
  bucketMs: number;
  range: { from?: number | undefined; to?: number | undefined };
}

/** A tool's calls per bucket (failures stacked), with its p95 latency when the collector gives one. */
export function ToolTrendChart({ timeline, bucketMs, range }: Props) {
  const rows = fillBuckets(timeline, bucketMs, range, (bucket) => ({ bucket, calls: 0, errors: 0, p95Ms: null })).map(
    (b) => ({
      bucket: b.bucket,
      ok: Math.max(0, b.calls - b.errors),
      errors: b.errors,
      p95: b.p95Ms,
    }),
  );
  const hasLatency = rows.some((d) => d.p95 !== null);
  return (
    <BucketChart
      testId="tool-trend-chart"
      rows={rows}
      bucketMs={bucketMs}
      okName="Calls"
      formatter={(value, name) => (name === P95_NAME ? formatDuration(Number(value)) : value)}
    >
      {hasLatency && (
        <>
          <YAxis
            yAxisId="latency"
            orientation="right"
            tick={AXIS_TICK}
            stroke={CHART_COLORS.grid}
            tickFormatter={(v: number) => formatDuration(v)}
            width={64}
          />
          <Line
            yAxisId="latency"
            dataKey="p95"
            name={P95_NAME}
            stroke={CHART_COLORS.line}
            strokeWidth={2}
            dot={{ r: 2.5, fill: 'var(--panel)' }}
            connectNulls
            type="linear"
            isAnimationActive={false}
          />
        </>
      )}
    </BucketChart>
  );
}
