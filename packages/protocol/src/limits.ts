/**
 * Caps the collector enforces on what it accepts. They are part of the wire
 * contract (docs/api.md): senders that stay inside them are never refused.
 */
export const LIMITS = {
  /** Events in one `POST /v1/events` body; more is refused with 413. */
  maxEventsPerBatch: 1000,
  /** Request body size after gzip decompression; more is refused with 413. */
  maxBodyBytes: 5 * 1024 * 1024,
  /** `id`, `sessionId`, `user.id`. */
  maxIdLength: 256,
  /** `method`, `client.name`, `server.name`, versions, `transport`, `error.type`. */
  maxNameLength: 256,
  /** `target`, `user.name`. */
  maxTargetLength: 2048,
  /** `error.message`. */
  maxMessageLength: 16 * 1024,
  /** `error.stack`. */
  maxStackLength: 32 * 1024,
  /** `arguments`, `result`, `properties`, `user.data`, each as serialized JSON. */
  maxPayloadBytes: 256 * 1024,
  /** Nesting depth of `arguments`, `result`, `properties`, `user.data`. */
  maxDepth: 32,
  maxTags: 64,
  maxTagKeyLength: 128,
  maxTagValueLength: 1024,
  /** `sender.droppedTotal`: a sender's running total of discarded events (a bound that keeps sums of totals exact). */
  maxDroppedTotal: 1_000_000_000_000,
  /** Timestamps later than now + this are refused (clock bugs, not data). */
  maxFutureSkewMs: 24 * 60 * 60 * 1000,
  /** Timestamps before 2000-01-01 are refused. */
  minTimestampMs: Date.UTC(2000, 0, 1),
} as const;

/** Object keys that could reach a prototype if a consumer merged the payload naively. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
