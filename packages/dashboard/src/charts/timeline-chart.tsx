import type { StatsResponse } from '@mcptrail/protocol';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatBucket, formatDateTime } from '../format/format-time';
import { AXIS_TICK, CHART_COLORS } from './chart-theme';

/** Events per bucket (successful and failed, stacked) with the sessions active in each bucket. */
export function TimelineChart({ timeline, bucketMs }: { timeline: StatsResponse['timeline']; bucketMs: number }) {
  const data = timeline.map((b) => ({
    bucket: b.bucket,
    ok: Math.max(0, b.events - b.errors),
    errors: b.errors,
    sessions: b.sessions,
  }));
  return (
    <div className="chart" data-testid="timeline-chart">
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
          <CartesianGrid stroke={CHART_COLORS.grid} vertical={false} />
          <XAxis dataKey="bucket" tick={AXIS_TICK} tickFormatter={(v: string) => formatBucket(v, bucketMs)} minTickGap={24} />
          <YAxis yAxisId="events" tick={AXIS_TICK} allowDecimals={false} />
          <YAxis yAxisId="sessions" orientation="right" tick={AXIS_TICK} allowDecimals={false} hide />
          <Tooltip labelFormatter={(v) => formatDateTime(String(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="events" dataKey="ok" name="Events" stackId="e" fill={CHART_COLORS.ok} isAnimationActive={false} />
          <Bar yAxisId="events" dataKey="errors" name="Errors" stackId="e" fill={CHART_COLORS.error} isAnimationActive={false} />
          <Line
            yAxisId="sessions"
            dataKey="sessions"
            name="Sessions"
            stroke={CHART_COLORS.line}
            strokeWidth={2}
            dot={false}
            type="linear"
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
