import type { ComponentProps, ReactNode } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBucket, formatDateTime } from '../format/format-time';
import { AXIS_TICK, CHART_COLORS, LEGEND_STYLE, TOOLTIP_PROPS } from './chart-theme';

/** One time bucket of a `BucketChart`: what succeeded and what failed. */
export interface BucketCounts {
  bucket: string;
  ok: number;
  errors: number;
}

/** The axis of the counts, for series that share it. */
const COUNTS_AXIS = 'counts';

/**
 * Counts per time bucket, failures stacked on what succeeded, the bucket's time heading the tooltip. `children` adds
 * series on axes of their own (a tool's latency).
 */
export function BucketChart<Row extends BucketCounts>({
  rows,
  bucketMs,
  okName,
  labelNote,
  formatter,
  testId,
  children,
}: {
  rows: Row[];
  bucketMs: number;
  /** The legend's name of what succeeded (events, calls). */
  okName: string;
  /** Said in the tooltip after the bucket's time. */
  labelNote?(row: Row): string;
  formatter?: ComponentProps<typeof Tooltip>['formatter'];
  testId: string;
  children?: ReactNode;
}) {
  return (
    <div className="chart" data-testid={testId}>
      <ResponsiveContainer width="100%" height={240}>
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -12 }} barCategoryGap="15%">
          <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
          <XAxis
            dataKey="bucket"
            tick={AXIS_TICK}
            stroke={CHART_COLORS.grid}
            tickFormatter={(v: string) => formatBucket(v, bucketMs)}
            minTickGap={28}
          />
          <YAxis yAxisId={COUNTS_AXIS} tick={AXIS_TICK} stroke={CHART_COLORS.grid} allowDecimals={false} />
          <Tooltip
            {...TOOLTIP_PROPS}
            labelFormatter={(v, payload) => {
              const row = payload?.[0]?.payload as Row | undefined;
              return `${formatDateTime(String(v))}${row && labelNote ? labelNote(row) : ''}`;
            }}
            formatter={formatter}
          />
          <Legend wrapperStyle={LEGEND_STYLE} itemSorter={null} />
          <Bar
            yAxisId={COUNTS_AXIS}
            dataKey="ok"
            name={okName}
            stackId="counts"
            fill={CHART_COLORS.ok}
            isAnimationActive={false}
          />
          <Bar
            yAxisId={COUNTS_AXIS}
            dataKey="errors"
            name="Errors"
            stackId="counts"
            fill={CHART_COLORS.error}
            isAnimationActive={false}
          />
          {children}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
