import { z } from 'zod';
import { rawTextProblem } from './event.js';
import { LIMITS } from './limits.js';

/** Body of `POST /v1/events`. Events are validated one by one (see `validateEvent`). */
export interface EventBatch {
  events: unknown[];
  /** The sending SDK, for diagnostics. */
  sdk?: { name: string; version?: string };
  /** Events the sender discarded since its last accepted batch (overflow, retries exhausted). Added up: a resend adds it again. */
  dropped?: number;
  /**
   * The sending process (an id it draws at start) and every event it has
   * discarded since. A total, not a delta: the collector keeps the largest it
   * has seen per sender, so resends and reordering neither lose nor double a
   * count. When present, `dropped` is ignored.
   */
  sender?: { id: string; droppedTotal: number };
}

export const eventBatchSchema = z.object({
  events: z.array(z.unknown()),
  sdk: z.object({ name: z.string().max(LIMITS.maxNameLength), version: z.string().max(LIMITS.maxNameLength).optional() }).nullish(),
  dropped: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish(),
  sender: z
    .object({
      id: z
        .string()
        .min(1)
        .max(LIMITS.maxIdLength)
        .refine((id) => rawTextProblem(id) === null, 'must be text without NUL characters or lone surrogates'),
      droppedTotal: z.number().int().min(0).max(LIMITS.maxDroppedTotal),
    })
    .nullish(),
});

/** 200 answer of `POST /v1/events`: sent only after the accepted events are committed. */
export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; reason: string }[];
}

/** Every 4xx/5xx answer of the HTTP API. */
export interface ApiError {
  error: { code: string; message: string };
}
