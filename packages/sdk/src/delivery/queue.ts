/**
 * Serialized events waiting for delivery, bounded by count and by size
 * (characters of JSON plus a per-item overhead: a close proxy for heap bytes). On overflow the oldest
 * events are dropped and counted; the count travels with the next batch.
 */
export interface QueueLimits {
  maxEvents: number;
  maxBytes: number;
  /** Bytes counted per item on top of its characters (string header, array slot). Default 0. */
  itemOverhead?: number;
}

export interface TakenBatch {
  items: string[];
  bytes: number;
  /** Dropped since the last batch was taken, to report with this one. */
  dropped: number;
}

export class BoundedQueue {
  private items: string[] = [];
  private head = 0;
  private bytes = 0;
  private droppedCount = 0;

  private readonly overhead: number;

  constructor(private readonly limits: QueueLimits) {
    this.overhead = limits.itemOverhead ?? 0;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  get size(): number {
    return this.bytes;
  }

  /** Dropped and not yet reported. */
  get dropped(): number {
    return this.droppedCount;
  }

  push(item: string): void {
    const cost = item.length + this.overhead;
    if (cost > this.limits.maxBytes) {
      this.droppedCount++;
      return;
    }
    this.items.push(item);
    this.bytes += cost;
    while (this.length > this.limits.maxEvents || this.bytes > this.limits.maxBytes) {
      this.bytes -= this.shiftOne().length + this.overhead;
      this.droppedCount++;
    }
  }

  /** Up to `maxCount` items and `maxBytes` characters, oldest first (at least one item if any). */
  take(maxCount: number, maxBytes: number): TakenBatch {
    const items: string[] = [];
    let bytes = 0;
    while (this.length > 0 && items.length < maxCount) {
      const next = this.items[this.head] as string;
      if (items.length > 0 && bytes + next.length > maxBytes) break;
      items.push(this.shiftOne());
      bytes += next.length;
    }
    this.bytes -= bytes + items.length * this.overhead;
    const dropped = this.droppedCount;
    this.droppedCount = 0;
    return { items, bytes, dropped };
  }

  /**
   * Puts a batch that could not be sent back at the head, in its order, with the
   * drop count it carried. The bounds then apply as on push: the oldest go first.
   * Returns how many items that evicted.
   */
  putBack(batch: TakenBatch): number {
    const items = batch.items;
    this.droppedCount += batch.dropped;
    if (items.length === 0) return 0;
    if (this.head >= items.length) {
      this.head -= items.length;
      for (let i = 0; i < items.length; i++) this.items[this.head + i] = items[i] as string;
    } else {
      this.items = items.concat(this.items.slice(this.head));
      this.head = 0;
    }
    this.bytes += batch.bytes + items.length * this.overhead;
    let evicted = 0;
    while (this.length > 0 && (this.length > this.limits.maxEvents || this.bytes > this.limits.maxBytes)) {
      this.bytes -= this.shiftOne().length + this.overhead;
      evicted++;
    }
    this.droppedCount += evicted;
    return evicted;
  }

  /** Events lost after they left the queue (a batch given up on): reported with the next batch. */
  addDropped(n: number): void {
    this.droppedCount += n;
  }

  private shiftOne(): string {
    const item = this.items[this.head] as string;
    this.items[this.head] = '';
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
