import { z } from 'zod';
import type { FailureQuery } from '../storage/store.js';
import { limit, parse, parseRange } from './params.js';

const failureQuerySchema = z.object({ limit: limit(200, 50) });

/** A range as `parseRange` reads it, and how many clusters to answer (1–200, default 50). */
export function parseFailureQuery(params: Record<string, string>): FailureQuery {
  return { ...parseRange(params), limit: parse(failureQuerySchema, params).limit };
}
