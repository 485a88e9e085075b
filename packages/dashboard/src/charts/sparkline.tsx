import { Area, AreaChart, YAxis } from 'recharts';
import { formatBucket } from '../format/format-time';
import { CHART_COLORS } from './chart-theme';

const WIDTH = 96;
const HEIGHT = 28;

/** A small trend of counts per bucket, without axes; the counts in words on hover and for screen readers. */
export function Sparkline({
  counts,
  start,
  bucketMs,
  unit,
}: {
  counts: number[];
  start: string;
  bucketMs: number;
  unit: string;
}) {
  const first = Date.parse(start);
  const data = counts.map((count) => ({ count }));
  const described = counts.map((count, i) => `${formatBucket(first + i * bucketMs, bucketMs)}: ${count}`).join(', ');
  const label = `${unit} per ${bucketMs >= 86_400_000 ? 'day' : 'hour'}: ${described}`;
  return (
    <span className="sparkline" title={label} role="img" aria-label={label} data-testid="sparkline">
      <AreaChart width={WIDTH} height={HEIGHT} data={data} margin={{ top: 2, right: 1, bottom: 2, left: 1 }}>
        <YAxis hide domain={[0, 'dataMax']} />
        <Area
          type="linear"
          dataKey="count"
          stroke={CHART_COLORS.error}
          fill={CHART_COLORS.error}
          fillOpacity={0.18}
          strokeWidth={1.5}
          isAnimationActive={false}
          dot={false}
        />
      </AreaChart>
    </span>
  );
}
