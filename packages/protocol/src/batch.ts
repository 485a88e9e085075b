import { z } from 'zod';
import { rawTextProblem } from './event.js';
import { LIMITS } from './limits.js';

/** Body of `POST /v1/events`. Events are validated one by one (see `validateEvent`). */
export const eventBatchSchema = z.object({
  events: z.array(z.unknown()).describe('Wire events (each checked on its own; see the event schema).'),
  sdk: z
    .object({ name: z.string().max(LIMITS.maxNameLength), version: z.string().max(LIMITS.maxNameLength).optional() })
    .nullish()
    .describe('The sending SDK, for diagnostics.'),
  dropped: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .nullish()
    .describe('Events the sender discarded since its last accepted batch. Added up: a resend adds it again.'),
  sender: z
    .object({
      id: z
        .string()
        .min(1)
        .max(LIMITS.maxIdLength)
        .refine((id) => rawTextProblem(id) === null, 'must be text without NUL characters or lone surrogates'),
      droppedTotal: z.number().int().min(0).max(LIMITS.maxDroppedTotal),
    })
    .nullish()
    .describe(
      'The sending process (an id it draws at start) and every event it has discarded since: a total, ' +
        'so resends neither lose nor double a count. When present, `dropped` is ignored.',
    ),
});

export type EventBatch = z.input<typeof eventBatchSchema>;

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
