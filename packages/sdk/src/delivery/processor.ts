import type { LIMITS, WireEvent } from '@mcptrail/protocol';
import { randomId } from '../internal/ids.js';
import { logOnce } from '../internal/log.js';
import { SDK_NAME, SDK_VERSION } from '../internal/version.js';
import { encodeBatch, EventEncoder } from './batch-body.js';
import type { Exporter } from './exporter.js';
import { BoundedQueue, type TakenBatch } from './queue.js';

const WIRE_MAX_EVENTS: (typeof LIMITS)['maxEventsPerBatch'] = 1000;
const WIRE_MAX_BODY_BYTES: (typeof LIMITS)['maxBodyBytes'] = 5 * 1024 * 1024;
/** Event bytes per body: the wire limit less room for the commas, `sdk`, `dropped` and `sender`. */
const MAX_BATCH_BYTES = WIRE_MAX_BODY_BYTES - 16 * 1024;
/** How long a background batch may keep retrying. */
const BACKGROUND_DEADLINE_MS = 10 * 60_000;

export interface ProcessorOptions {
  batchSize: number;
  flushIntervalMs: number;
  maxQueueEvents: number;
  maxQueueBytes: number;
}

export interface ProcessorStats {
  /** Events in batches the collector acknowledged. */
  sent: number;
  /** Of those, events the collector stored (new ids). */
  accepted: number;
  /** Of those, events the collector already had (a resend after a lost answer). */
  duplicates: number;
  /** Dropped and not yet reported to the collector. */
  droppedPending: number;
  /** Dropped since start (overflow, refused batches, events after shutdown). */
  droppedTotal: number;
  failedBatches: number;
}

interface FlushWaiter {
  /** Epoch ms. */
  deadline: number;
  done: () => void;
}

const SDK_FIELD = `"sdk":${JSON.stringify({ name: SDK_NAME, version: SDK_VERSION })}`;

/**
 * Batches queued events to one exporter: a batch goes when `batchSize` events
 * wait or `flushIntervalMs` passes, one request in flight at a time, timers
 * unref'd. `shutdown()` is once-only and terminal (OpenTelemetry's
 * BatchSpanProcessorBase): later events are dropped and counted.
 */
export class BatchProcessor {
  private readonly queue: BoundedQueue<Uint8Array>;
  private readonly encoder = new EventEncoder();
  /**
   * Halved, with the bytes, on each 413 (a proxy with a smaller limit than the wire's); later batches keep the size
   * that passed.
   */
  private batchSize: number;
  private batchBytes = MAX_BATCH_BYTES;
  /** Names this queue's running total of losses to the collector (`sender` on the wire). */
  private readonly senderId = randomId();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  /** Pending flush() calls; each leaves when the queue is empty or at its own deadline. */
  private waiters: FlushWaiter[] = [];
  private stopped = false;
  private shutdownOnce: Promise<void> | undefined;
  private readonly stats: Omit<ProcessorStats, 'droppedPending'> = {
    sent: 0,
    accepted: 0,
    duplicates: 0,
    droppedTotal: 0,
    failedBatches: 0,
  };

  constructor(
    private readonly exporter: Exporter,
    private readonly options: ProcessorOptions,
  ) {
    // ~100 bytes per queued event besides its bytes (the view object, its array slot, slab slack).
    this.queue = new BoundedQueue({
      maxEvents: options.maxQueueEvents,
      maxBytes: options.maxQueueBytes,
      itemOverhead: 100,
    });
    this.batchSize = Math.max(1, Math.min(options.batchSize, WIRE_MAX_EVENTS));
  }

  private inFlight = 0;

  get queuedBytes(): number {
    return this.queue.size;
  }

  /** Queued events plus those of the batch being sent. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  enqueue(event: WireEvent): void {
    if (this.stopped) {
      this.stats.droppedTotal++;
      logOnce('stopped', 'an event arrived after shutdown(); it was dropped (counted in deliveryStats().dropped)');
      return;
    }
    const before = this.queue.dropped;
    this.queue.push(this.encoder.encode(JSON.stringify(event)));
    this.stats.droppedTotal += this.queue.dropped - before;
    if (this.queue.length >= this.batchSize) this.kick();
    else this.arm();
  }

  /** Resolves when the queue is empty (everything delivered, or refused and counted), or at the timeout. */
  flush(timeoutMs = 10_000): Promise<void> {
    if (this.queue.length === 0 && !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      let settled = false;
      const waiter: FlushWaiter = {
        deadline: Date.now() + timeoutMs,
        done: () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve();
        },
      };
      // At its deadline a flush leaves: later batches go on in the background, not with its passed deadline.
      const timer = setTimeout(() => {
        this.removeWaiter(waiter);
        waiter.done();
      }, timeoutMs);
      timer.unref?.();
      this.waiters.push(waiter);
      // A batch waiting out a backoff is tried now.
      this.exporter.wake?.();
      this.kick();
    });
  }

  private removeWaiter(waiter: FlushWaiter): void {
    const i = this.waiters.indexOf(waiter);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  /**
   * The latest deadline of the flushes still waiting, after letting go of those whose deadline passed; undefined if
   * none.
   */
  private flushDeadline(): number | undefined {
    const now = Date.now();
    let deadline: number | undefined;
    for (const waiter of [...this.waiters]) {
      if (waiter.deadline <= now) {
        this.removeWaiter(waiter);
        waiter.done();
      } else if (deadline === undefined || waiter.deadline > deadline) deadline = waiter.deadline;
    }
    return deadline;
  }

  /**
   * Once-only: refuses events from now on, delivers what is queued (bounded by `timeoutMs`), then drops and counts what
   * is left and closes connections.
   */
  shutdown(timeoutMs = 10_000): Promise<void> {
    return (this.shutdownOnce ??= this.stop(timeoutMs));
  }

  private async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    this.disarm();
    await this.flush(timeoutMs);
    // Ends what the deadline left in progress (a request, a backoff wait), so nothing runs on after it.
    this.exporter.shutdown?.();
    await this.running;
    const left = this.queue.length;
    if (left > 0) {
      this.queue.take(left, Number.POSITIVE_INFINITY);
      this.stats.droppedTotal += left;
      logOnce('shutdown-undelivered', `shutdown(): ${left} event(s) could not be delivered by its deadline; dropped`);
    }
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer || this.running || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, this.options.flushIntervalMs);
    this.timer.unref?.();
  }

  private kick(): void {
    if (this.running) return;
    this.disarm();
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.arm();
      else this.release();
    });
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.done();
  }

  private async drain(): Promise<void> {
    // Sends full batches back to back; a partial one only when flushing or the timer fired; after shutdown, only for
    // its flush.
    // No busy loop: every sendOne() makes an attempt, waits out a backoff, or lets a passed flush go.
    let first = true;
    while (
      this.queue.length > 0 &&
      (this.waiters.length > 0 || (!this.stopped && (first || this.queue.length >= this.batchSize)))
    ) {
      first = false;
      await this.sendOne();
    }
  }

  private async sendOne(): Promise<void> {
    const batch = this.queue.take(this.batchSize, this.batchBytes);
    // `dropped` for collectors that only know counts; `sender` carries the running total, which a
    // resend cannot count twice (this collector keeps each sender's largest total and ignores `dropped` then).
    const dropped = batch.dropped > 0 ? `,"dropped":${batch.dropped}` : '';
    const total = this.stats.droppedTotal;
    const sender = total > 0 ? `,"sender":{"id":"${this.senderId}","droppedTotal":${total}}` : '';
    const body = encodeBatch('{"events":[', batch.items, `],${SDK_FIELD}${dropped}${sender}}`, batch.bytes);
    const deadline = this.flushDeadline() ?? Date.now() + BACKGROUND_DEADLINE_MS;
    this.inFlight = batch.items.length;
    try {
      const result = await this.exporter.export({ body, count: batch.items.length, deadline });
      if (result.kind === 'success') {
        this.stats.sent += batch.items.length;
        this.stats.accepted += result.accepted;
        this.stats.duplicates += result.duplicates;
        if (result.rejected > 0) logOnce('rejected', `the collector rejected ${result.rejected} event(s)`);
        return;
      }
      if (result.kind === 'too-large' && batch.items.length > 1) this.split(batch);
      else if (result.kind === 'retryable') this.putBack(batch, result.reason);
      else this.lose(batch.items.length, batch.dropped, result.reason);
    } catch (error) {
      this.lose(batch.items.length, batch.dropped, String(error));
    } finally {
      this.inFlight = 0;
    }
  }

  /**
   * Not delivered yet (collector unreachable, deadline reached): back at the head
   * of the queue, so nothing is lost but what the queue's bounds push out (oldest first, counted).
   */
  private putBack(batch: TakenBatch<Uint8Array>, reason: string): void {
    const evicted = this.queue.putBack(batch);
    this.stats.droppedTotal += evicted;
    // Once shut down they do not stay: shutdown() reports what it leaves.
    if (!this.stopped)
      logOnce('delivery-retry', `could not deliver ${batch.items.length} event(s) yet (${reason}); they stay queued`);
  }

  /**
   * Refused as too large (413): back in the queue, to go in halves (posthog-js `_flush`); one event still too large
   * alone is lost.
   */
  private split(batch: TakenBatch<Uint8Array>): void {
    this.batchSize = Math.max(1, Math.floor(batch.items.length / 2));
    this.batchBytes = Math.max(1, Math.floor(batch.bytes / 2));
    this.stats.droppedTotal += this.queue.putBack(batch);
    logOnce(
      'too-large',
      `a batch of ${batch.items.length} event(s) was refused as too large (413); sending smaller ones`,
    );
  }

  /** A batch refused for good (4xx): its events and the drop count it carried are reported with the next one. */
  private lose(events: number, carried: number, reason: string): void {
    this.stats.failedBatches++;
    this.stats.droppedTotal += events;
    this.queue.addDropped(events + carried);
    logOnce('delivery', `could not deliver ${events} event(s) (${reason})`);
  }

  snapshot(): ProcessorStats {
    return { ...this.stats, droppedPending: this.queue.dropped };
  }
}
