import type { DeliveryOptions } from '../types.js';
import { globalState } from '../internal/global-state.js';
import { logOnce } from '../internal/log.js';
import { SDK_NAME, SDK_VERSION } from '../internal/version.js';
import { HttpExporter } from './http-exporter.js';
import { BatchProcessor } from './processor.js';
import { DEFAULT_RETRY, RetryingExporter } from './retrying-exporter.js';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4400';

export interface Destination {
  endpoint: string;
  projectKey: string;
  delivery: DeliveryOptions;
}

/**
 * One processor per collector and key for the whole process, so per-request
 * servers (createMcpHandler factories) share one queue; in the versioned
 * global state, so the ESM and CJS builds share it too.
 */
const global = globalState();
const registry = global.processors as Map<string, { processor: BatchProcessor; delivery: string }>;

/** The options that shape a queue, in a fixed order, to tell a second track() that asks for another one. */
function deliveryShape(delivery: DeliveryOptions): string {
  const keys = Object.keys(delivery).sort() as (keyof DeliveryOptions)[];
  return JSON.stringify(keys.map((key) => [key, delivery[key]]));
}

/**
 * After shutdown() a destination gets a stopped processor: its events are dropped and counted, no queue or timer comes
 * back.
 */
export function processorFor(destination: Destination): BatchProcessor {
  const key = `${destination.endpoint}\n${destination.projectKey}`;
  const delivery = deliveryShape(destination.delivery);
  const existing = registry.get(key);
  if (existing && existing.delivery !== delivery) {
    logOnce(
      'delivery-options',
      `track() was called with other delivery options for ${destination.endpoint} and the same key; ` +
        "the first call's options are kept (one queue per collector and key)",
    );
  }
  let processor = existing?.processor;
  if (!processor) {
    const d = destination.delivery;
    const http = new HttpExporter({
      endpoint: destination.endpoint,
      projectKey: destination.projectKey,
      requestTimeoutMs: d.requestTimeoutMs ?? 10_000,
      gzipAboveBytes: d.gzipAboveBytes ?? 1024 * 1024,
      userAgent: `${SDK_NAME}/${SDK_VERSION}`,
    });
    const exporter = new RetryingExporter(http, {
      ...DEFAULT_RETRY,
      maxAttempts: Math.max(1, d.maxAttempts ?? DEFAULT_RETRY.maxAttempts),
    });
    processor = new BatchProcessor(exporter, {
      batchSize: d.batchSize ?? 500,
      flushIntervalMs: d.flushIntervalMs ?? 1000,
      maxQueueEvents: d.maxQueueEvents ?? 100_000,
      maxQueueBytes: d.maxQueueBytes ?? 64 * 1024 * 1024,
    });
    registry.set(key, { processor, delivery });
    if (global.shutdown) void processor.shutdown(0);
  }
  return processor;
}

export function pendingEvents(): number {
  let n = 0;
  for (const { processor } of registry.values()) n += processor.pending;
  return n;
}

export function allProcessors(): BatchProcessor[] {
  return [...registry.values()].map((entry) => entry.processor);
}

export async function flushAll(timeoutMs?: number): Promise<void> {
  await Promise.all(allProcessors().map((p) => p.flush(timeoutMs)));
}

/**
 * The process's one shutdown (OpenTelemetry's BindOnceFuture): `run` starts on the first call; every call gets its
 * promise.
 */
export function shutdownOnce(run: () => Promise<void>): Promise<void> {
  return (global.shutdown ??= run());
}

/** Every processor refuses events from now on, delivers what it holds (bounded by `timeoutMs`), and closes. */
export async function shutdownAll(timeoutMs?: number): Promise<void> {
  await Promise.all(allProcessors().map((p) => p.shutdown(timeoutMs)));
}
