/** Types for `generate-events.mjs`, so TypeScript tests can share its generator. */
export function random(seed?: number): () => number;
export function generateEvents(options?: {
  count?: number;
  users?: number;
  anonymousShare?: number;
  statefulShare?: number;
  spanMs?: number;
  seed?: number;
  idPrefix?: string;
}): Record<string, unknown>[];
export function batches<T>(events: readonly T[], size?: number): T[][];
