/** The most buckets a chart will draw; beyond this the answer is shown as it came. */
const MAX_BUCKETS = 1000;

/**
 * The collector returns only buckets that hold data. Charts need the empty ones too, so
 * that time runs evenly along the axis: this fills the gaps over the queried range
 * (or, unbounded, from the first bucket to the last), keeping the collector's alignment.
 */
export function fillBuckets<T extends { bucket: string }>(
  rows: readonly T[],
  bucketMs: number,
  range: { from?: number | undefined; to?: number | undefined },
  empty: (bucket: string) => T,
): T[] {
  if (!(bucketMs > 0) || rows.length === 0) return [...rows];
  const times = rows.map((r) => Date.parse(r.bucket));
  if (times.some((t) => Number.isNaN(t))) return [...rows];
  const first = Math.min(...times);
  const last = Math.max(...times);
  const start = range.from === undefined ? first : first - Math.ceil((first - range.from) / bucketMs) * bucketMs;
  const end =
    range.to === undefined ? last : Math.max(last, last + Math.floor((range.to - last) / bucketMs) * bucketMs);
  if ((end - start) / bucketMs > MAX_BUCKETS) return [...rows];

  const byTime = new Map(rows.map((r, i) => [times[i]!, r]));
  const filled: T[] = [];
  for (let t = Math.min(start, first); t <= end; t += bucketMs) {
    filled.push(byTime.get(t) ?? empty(new Date(t).toISOString()));
  }
  // Rows off the grid (should not happen) are kept rather than lost.
  for (const [t, row] of byTime) if ((t - start) % bucketMs !== 0) filled.push(row);
  return filled.sort((a, b) => Date.parse(a.bucket) - Date.parse(b.bucket));
}
