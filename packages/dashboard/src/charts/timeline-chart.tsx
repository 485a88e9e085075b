import type { StatsResponse } from '@mcptrail/protocol';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBucket, formatDateTime } from '../format/format-time';
import { AXIS_TICK, CHART_COLORS, LEGEND_STYLE, TOOLTIP_PROPS } from './chart-theme';
import { fillBuckets } from './fill-buckets';

interface Props {
  timeline: StatsResponse['timeline'];
  bucketMs: number;
  range: { from?: number | undefined; to?: number | undefined };
}

/** Events per bucket, successful and failed stacked; sessions in the tooltip. */
export function TimelineChart({ timeline, bucketMs, range }: Props) {
  const data = fillBuckets(timeline, bucketMs, range, (bucket) => ({ bucket, events: 0, errors: 0, sessions: 0 })).map(
    (b) => ({
      bucket: b.bucket,
      ok: Math.max(0, b.events - b.errors),
      errors: b.errors,
      sessions: b.sessions,
    }),
  );
  return (
    <div className="chart" data-testid="timeline-chart">
      <ResponsiveContainer width="100%" height={240}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -12 }} barCategoryGap="15%">
          <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
          <XAxis
            dataKey="bucket"
            tick={AXIS_TICK}
            stroke={CHART_COLORS.grid}
            tickFormatter={(v: string) => formatBucket(v, bucketMs)}
            minTickGap={28}
          />
          <YAxis tick={AXIS_TICK} stroke={CHART_COLORS.grid} allowDecimals={false} />
          <Tooltip
            {...TOOLTIP_PROPS}
            labelFormatter={(v, payload) => {
              const sessions = (payload?.[0]?.payload as { sessions?: number } | undefined)?.sessions;
              return `${formatDateTime(String(v))}${sessions !== undefined ? ` · ${sessions} session${sessions === 1 ? '' : 's'}` : ''}`;
            }}
          />
          <Legend wrapperStyle={LEGEND_STYLE} itemSorter={null} />
          <Bar dataKey="ok" name="Events" stackId="e" fill={CHART_COLORS.ok} isAnimationActive={false} />
          <Bar dataKey="errors" name="Errors" stackId="e" fill={CHART_COLORS.error} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
