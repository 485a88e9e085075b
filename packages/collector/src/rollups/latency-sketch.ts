import { DDSketch } from '@datadog/sketches-js';
import { readVarint, writeVarint } from '../encoding/varint.js';

/**
 * Durations as a DDSketch (DataDog's `sketches-js` maps a value to its bucket):
 * counts per logarithmic bucket, any quantile within 1% of the true value, and
 * mergeable by adding counts, so an hour's sketch and a day's are sums of their
 * parts whatever order events arrive in. Stored as bytes in rollup rows.
 */
export const RELATIVE_ACCURACY = 0.01;
/** The package's logarithmic value ↔ bucket mapping, through its public API. */
const mapping = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY }).mapping;
/** Below a microsecond (0 ms included) a duration goes to the zero bucket: timers are not finer. */
const SMALLEST = 0.001;

export class LatencySketch {
  /** Bucket key → count; durations in the zero bucket are counted apart. */
  private readonly buckets = new Map<number, number>();
  private zero = 0;

  /**
   * No bucket holds anything: a delta whose moves cancelled out (a count of 0 may still move durations between
   * buckets).
   */
  get isEmpty(): boolean {
    return this.zero === 0 && this.buckets.size === 0;
  }

  get count(): number {
    let n = this.zero;
    for (const count of this.buckets.values()) n += count;
    return n;
  }

  /**
   * A negative `count` takes durations out (a rollup moving a session's calls to another label); a bucket at 0 goes.
   */
  add(durationMs: number, count = 1): void {
    if (durationMs <= SMALLEST) this.zero += count;
    else this.addToBucket(mapping.key(durationMs), count);
  }

  merge(other: LatencySketch): this {
    this.zero += other.zero;
    for (const [key, count] of other.buckets) this.addToBucket(key, count);
    return this;
  }

  private addToBucket(key: number, count: number): void {
    const sum = (this.buckets.get(key) ?? 0) + count;
    if (sum === 0) this.buckets.delete(key);
    else this.buckets.set(key, sum);
  }

  /** Nearest rank (the value at rank ⌈q·n⌉), as the bucket's representative value; null when empty. */
  quantile(q: number): number | null {
    const n = this.count;
    if (n === 0) return null;
    let rank = Math.max(1, Math.ceil(q * n));
    if (rank <= this.zero) return 0;
    rank -= this.zero;
    for (const key of [...this.buckets.keys()].sort((a, b) => a - b)) {
      rank -= this.buckets.get(key)!;
      if (rank <= 0) return mapping.value(key);
    }
    return null;
  }

  /**
   * Varints: the zero count, then (key − previous key, count) pairs in key order
   * (keys may be negative below 1 ms: zigzag-encoded). About 2–3 bytes a bucket.
   */
  encode(): Uint8Array {
    const out: number[] = [];
    writeVarint(out, this.zero);
    let previous = 0;
    for (const key of [...this.buckets.keys()].sort((a, b) => a - b)) {
      writeVarint(out, zigzag(key - previous));
      writeVarint(out, this.buckets.get(key)!);
      previous = key;
    }
    return Uint8Array.from(out);
  }

  static decode(bytes: Uint8Array | null | undefined): LatencySketch {
    const sketch = new LatencySketch();
    if (!bytes || bytes.length === 0) return sketch;
    const reader = { bytes, at: 0 };
    sketch.zero = readVarint(reader, 'latency sketch');
    let key = 0;
    while (reader.at < bytes.length) {
      key += unzigzag(readVarint(reader, 'latency sketch'));
      sketch.buckets.set(key, readVarint(reader, 'latency sketch'));
    }
    return sketch;
  }
}

const zigzag = (n: number) => (n >= 0 ? n * 2 : -n * 2 - 1);
const unzigzag = (n: number) => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);
