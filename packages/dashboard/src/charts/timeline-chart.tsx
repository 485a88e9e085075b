import type { StatsResponse } from '@mcptrail/protocol';
import { BucketChart } from './bucket-chart';
import { fillBuckets } from './fill-buckets';

interface Props {
  timeline: StatsResponse['timeline'];
  bucketMs: number;
  range: { from?: number | undefined; to?: number | undefined };
}

/** Events per bucket, successful and failed stacked; sessions in the tooltip. */
export function TimelineChart({ timeline, bucketMs, range }: Props) {
  const rows = fillBuckets(timeline, bucketMs, range, (bucket) => ({ bucket, events: 0, errors: 0, sessions: 0 })).map(
    (b) => ({
      bucket: b.bucket,
      ok: Math.max(0, b.events - b.errors),
      errors: b.errors,
      sessions: b.sessions,
    }),
  );
  return (
    <BucketChart
      testId="timeline-chart"
      rows={rows}
      bucketMs={bucketMs}
      okName="Events"
      labelNote={({ sessions }) => ` · ${sessions} session${sessions === 1 ? '' : 's'}`}
    />
  );
}
