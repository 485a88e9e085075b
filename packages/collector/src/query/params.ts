import { parseTimestamp } from '@mcptrail/protocol';
import { z } from 'zod';
import { InvalidQueryError } from './query-errors.js';
import { decodeCursor } from './cursor.js';
import { DURATION_HINT, readDuration } from '../config/duration.js';
import type { EventPageQuery, PathsQuery, SessionQuery, TimeRange, UserQuery, WhatIfQuery } from '../storage/store.js';

const DEFAULT_RANGE_MS = 7 * 24 * 60 * 60 * 1000;
/** The largest time a JavaScript Date can hold. */
const MAX_TIME_MS = 8.64e15;

const time = z
  .string()
  .transform((value, ctx) => {
    const ms = parseTimestamp(/^\d+$/.test(value) ? Number(value) : value);
    if (ms === null || Math.abs(ms) > MAX_TIME_MS) {
      ctx.addIssue({ code: 'custom', message: 'must be RFC 3339 or epoch milliseconds' });
      return z.NEVER;
    }
    return ms;
  })
  .optional();

export const limit = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max))
    .optional()
    .transform((value) => value ?? fallback);

const cursor = z
  .string()
  .max(512)
  .transform((value, ctx) => {
    const position = decodeCursor(value);
    if (position) return position;
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
    return z.NEVER;
  })
  .optional();

const text = z.string().min(1).max(2048).optional();

const rangeSchema = z.object({ from: time, to: time });

const sessionQuerySchema = rangeSchema.extend({
  user: text,
  client: text,
  kind: z.enum(['stateful', 'conversation', 'grouped', 'anonymous']).optional(),
  hasError: z.enum(['true', 'false']).optional(),
  limit: limit(100, 50),
  cursor,
});

const pathsQuerySchema = rangeSchema.extend({ depth: limit(6, 4), breadth: limit(10, 5) });

const MAX_TIMEOUTS = 8;
const DEFAULT_TIMEOUTS = '5m,15m,30m,60m';
/** At most a week: the longest gap that could still join two requests of a range a serious reader asks about. */
const MAX_TIMEOUT_MS = 7 * 24 * 3_600_000;
const timeouts = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const list = (value ?? DEFAULT_TIMEOUTS).split(',').map((text) => readDuration(text));
    if (list.length > MAX_TIMEOUTS || list.some((ms) => ms === undefined || ms > MAX_TIMEOUT_MS)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be 1–${MAX_TIMEOUTS} comma-separated durations of at most 7d; ${DURATION_HINT}`,
      });
      return z.NEVER;
    }
    return [...new Set(list as number[])].sort((a, b) => a - b);
  });
const whatIfQuerySchema = rangeSchema.extend({ timeout: timeouts });

const userQuerySchema = z.object({ limit: limit(200, 50), cursor });
const eventPageSchema = z.object({ limit: limit(5000, 1000), cursor });

export function parse<T extends z.ZodType>(schema: T, params: Record<string, string>): z.output<T> {
  const result = schema.safeParse(params);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InvalidQueryError(`${issue.path.join('.') || 'query'}: ${issue.message}`);
  }
  return result.data;
}

function checkOrder(from: number | undefined, to: number | undefined): void {
  if (from !== undefined && to !== undefined && from > to) throw new InvalidQueryError('from: must not be after to');
}

export function parseSessionQuery(params: Record<string, string>): SessionQuery {
  const q = parse(sessionQuerySchema, params);
  checkOrder(q.from, q.to);
  return {
    user: q.user,
    client: q.client,
    kind: q.kind,
    from: q.from,
    to: q.to,
    hasError: q.hasError === undefined ? undefined : q.hasError === 'true',
    limit: q.limit,
    cursor: q.cursor ? { endedAt: q.cursor[0], id: q.cursor[1] } : undefined,
  };
}

export function parseUserQuery(params: Record<string, string>): UserQuery {
  const q = parse(userQuerySchema, params);
  return { limit: q.limit, cursor: q.cursor ? { lastSeen: q.cursor[0], id: q.cursor[1] } : undefined };
}

export function parseEventPage(params: Record<string, string>): EventPageQuery {
  const q = parse(eventPageSchema, params);
  return { limit: q.limit, cursor: q.cursor ? { ts: q.cursor[0], id: q.cursor[1] } : undefined };
}

/** `from`/`to`; a missing end defaults to now, a missing start to seven days before the end. */
export function parseRange(params: Record<string, string>): TimeRange {
  const q = parse(rangeSchema, params);
  const to = q.to ?? Date.now();
  const from = q.from ?? to - DEFAULT_RANGE_MS;
  checkOrder(from, to);
  return { from, to };
}

/** `from`/`to` as `parseRange`, the tree's `depth` (1–6, default 4) and `breadth` (1–10, default 5). */
export function parsePathsQuery(params: Record<string, string>, now: number): PathsQuery {
  const q = parse(pathsQuerySchema, params);
  return { range: parseRange(params), depth: q.depth, breadth: q.breadth, now };
}

/** `from`/`to` as `parseRange`, `timeout`: the inactivity timeouts to try, shortest first. */
export function parseWhatIfQuery(params: Record<string, string>): WhatIfQuery {
  const q = parse(whatIfQuerySchema, params);
  return { range: parseRange(params), timeoutsMs: q.timeout };
}
