import { allProcessors } from './delivery/registry.js';

export interface DeliveryStats {
  /** Events waiting in the queue (and in the batch being sent). */
  queued: number;
  /** What `maxQueueBytes` bounds: bytes of the queued events' JSON plus 100 per event. */
  queuedBytes: number;
  /** Events in batches the collector answered 200 to. */
  sent: number;
  /** Events dropped (overflow, batches given up on) since start. */
  dropped: number;
}

/** Counters over all destinations, for health checks and tests. */
export function deliveryStats(): DeliveryStats {
  let queued = 0;
  let queuedBytes = 0;
  let sent = 0;
  let dropped = 0;
  for (const processor of allProcessors()) {
    const s = processor.snapshot();
    queued += processor.pending;
    queuedBytes += processor.queuedBytes;
    sent += s.sent;
    dropped += s.droppedTotal;
  }
  return { queued, queuedBytes, sent, dropped };
}
