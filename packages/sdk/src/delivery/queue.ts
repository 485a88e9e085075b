/**
 * Serialized events waiting for delivery, bounded by count and by size (each
 * item's `length` — bytes of JSON — plus a per-item overhead). On overflow the
 * oldest events are dropped and counted; the count travels with the next batch.
 */
export interface QueueLimits {
  maxEvents: number;
  maxBytes: number;
  /** Bytes counted per item on top of its length (object header, array slot). Default 0. */
  itemOverhead?: number;
}

/** A serialized event: its `length` is its size. */
export type QueueItem = { readonly length: number };

export interface TakenBatch<T extends QueueItem> {
  items: T[];
  bytes: number;
  /** Dropped since the last batch was taken, to report with this one. */
  dropped: number;
}

const EMPTY: QueueItem = { length: 0 };

export class BoundedQueue<T extends QueueItem> {
  private items: T[] = [];
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

  push(item: T): void {
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

  /** Up to `maxCount` items and `maxBytes` of their lengths, oldest first (at least one item if any). */
  take(maxCount: number, maxBytes: number): TakenBatch<T> {
    const items: T[] = [];
    let bytes = 0;
    while (this.length > 0 && items.length < maxCount) {
      const next = this.items[this.head] as T;
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
  putBack(batch: TakenBatch<T>): number {
    const items = batch.items;
    this.droppedCount += batch.dropped;
    if (items.length === 0) return 0;
    if (this.head >= items.length) {
      this.head -= items.length;
      for (let i = 0; i < items.length; i++) this.items[this.head + i] = items[i] as T;
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

  private shiftOne(): T {
    const item = this.items[this.head] as T;
    this.items[this.head] = EMPTY as T; // let the item go
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
