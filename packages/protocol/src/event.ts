import { z } from 'zod';
import { FORBIDDEN_KEYS, LIMITS } from './limits.js';

/**
 * One observed MCP request, as an SDK sends it. Required: `id`, `timestamp`,
 * `method`; everything else is optional and `null` counts as absent. Unknown
 * fields are ignored so that newer senders keep working with older collectors.
 */
export interface WireEvent {
  /** Client-generated unique id; the idempotency key within a project. */
  id: string;
  /** When the request started: RFC 3339 string or epoch milliseconds. */
  timestamp: string | number;
  durationMs?: number | null;
  /** JSON-RPC method, e.g. `tools/call`. */
  method: string;
  /** Tool or prompt name, resource URI. */
  target?: string | null;
  /** Only when the server has a transport session (stdio, in-memory, stateful HTTP). */
  sessionId?: string | null;
  user?: { id: string; name?: string | null; data?: unknown } | null;
  client?: { name: string; version?: string | null } | null;
  server?: { name: string; version?: string | null } | null;
  protocolVersion?: string | null;
  transport?: string | null;
  isError?: boolean | null;
  error?: { type?: string | null; message: string; code?: number | string | null; stack?: string | null } | null;
  arguments?: unknown;
  result?: unknown;
  tags?: Record<string, string> | null;
  properties?: Record<string, unknown> | null;
}

/** An event after validation: timestamps in epoch ms, payloads as JSON text. */
export interface ValidEvent {
  id: string;
  timestamp: number;
  durationMs: number | null;
  method: string;
  target: string | null;
  transportSessionId: string | null;
  userId: string | null;
  userName: string | null;
  userData: string | null;
  clientName: string | null;
  clientVersion: string | null;
  serverName: string | null;
  serverVersion: string | null;
  protocolVersion: string | null;
  transport: string | null;
  isError: boolean;
  errorType: string | null;
  errorMessage: string | null;
  errorCode: string | null;
  errorStack: string | null;
  arguments: string | null;
  result: string | null;
  tags: string | null;
  properties: string | null;
}

/** Walks a free-form JSON value once: nesting depth and dangerous keys. */
function findPayloadProblem(value: unknown, depth: number): string | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth > LIMITS.maxDepth) return `nested deeper than ${LIMITS.maxDepth} levels`;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = findPayloadProblem(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return `forbidden key "${key}"`;
    const problem = findPayloadProblem((value as Record<string, unknown>)[key], depth + 1);
    if (problem) return problem;
  }
  return null;
}

/** A free-form JSON payload, checked and serialized once (the collector stores the text). */
const payload = z.unknown().optional().transform((value, ctx): string | null => {
  if (value === undefined || value === null) return null;
  const problem = findPayloadProblem(value, 1);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  const text = JSON.stringify(value);
  if (text.length > LIMITS.maxPayloadBytes) {
    ctx.addIssue({ code: 'custom', message: `larger than ${LIMITS.maxPayloadBytes} bytes as JSON` });
    return z.NEVER;
  }
  return text;
});

const text = (max: number) => z.string().max(max);
const optionalText = (max: number) => text(max).nullish().transform((v) => v ?? null);
const nonEmpty = (max: number) => z.string().min(1).max(max);

export function parseTimestamp(value: string | number): number | null {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? Math.trunc(ms) : null;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/;

const timestamp = z.union([z.number(), z.string().max(64)]).transform((value, ctx): number => {
  if (typeof value === 'string' && !RFC3339.test(value)) {
    ctx.addIssue({ code: 'custom', message: 'not an RFC 3339 timestamp or epoch milliseconds' });
    return z.NEVER;
  }
  const ms = parseTimestamp(value);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: 'cannot be parsed' });
    return z.NEVER;
  }
  if (ms < LIMITS.minTimestampMs) {
    ctx.addIssue({ code: 'custom', message: 'before 2000-01-01' });
    return z.NEVER;
  }
  if (ms > Date.now() + LIMITS.maxFutureSkewMs) {
    ctx.addIssue({ code: 'custom', message: 'more than 24 hours in the future' });
    return z.NEVER;
  }
  return ms;
});

const tags = z
  .record(
    z.string().min(1).max(LIMITS.maxTagKeyLength).refine((key) => !FORBIDDEN_KEYS.has(key), 'forbidden tag key'),
    z.string().max(LIMITS.maxTagValueLength),
  )
  .nullish()
  .refine((value) => !value || Object.keys(value).length <= LIMITS.maxTags, `more than ${LIMITS.maxTags} tags`)
  .transform((value) => (value && Object.keys(value).length > 0 ? JSON.stringify(value) : null));

const errorCode = z
  .union([z.number(), z.string().max(LIMITS.maxNameLength)])
  .nullish()
  .transform((v) => (v === undefined || v === null ? null : String(v)));

export const wireEventSchema = z
  .object({
    id: nonEmpty(LIMITS.maxIdLength),
    timestamp,
    durationMs: z.number().min(0).max(1e10).nullish(),
    method: nonEmpty(LIMITS.maxNameLength),
    target: optionalText(LIMITS.maxTargetLength),
    sessionId: z.string().max(LIMITS.maxIdLength).nullish(),
    user: z
      .object({ id: nonEmpty(LIMITS.maxIdLength), name: optionalText(LIMITS.maxTargetLength), data: payload })
      .nullish(),
    client: z.object({ name: text(LIMITS.maxNameLength), version: optionalText(LIMITS.maxNameLength) }).nullish(),
    server: z.object({ name: text(LIMITS.maxNameLength), version: optionalText(LIMITS.maxNameLength) }).nullish(),
    protocolVersion: optionalText(LIMITS.maxNameLength),
    transport: optionalText(LIMITS.maxNameLength),
    isError: z.boolean().nullish(),
    error: z
      .object({
        type: optionalText(LIMITS.maxNameLength),
        message: text(LIMITS.maxMessageLength),
        code: errorCode,
        stack: optionalText(LIMITS.maxStackLength),
      })
      .nullish(),
    arguments: payload,
    result: payload,
    tags,
    properties: payload.refine((text) => text === null || text.startsWith('{'), 'must be an object'),
  })
  .transform(
    (e): ValidEvent => ({
      id: e.id,
      timestamp: e.timestamp,
      durationMs: e.durationMs ?? null,
      method: e.method,
      target: e.target,
      // An empty transport id names no session.
      transportSessionId: e.sessionId ? e.sessionId : null,
      userId: e.user?.id ?? null,
      userName: e.user?.name ?? null,
      userData: e.user?.data ?? null,
      clientName: e.client?.name ? e.client.name : null,
      clientVersion: e.client?.version ?? null,
      serverName: e.server?.name ? e.server.name : null,
      serverVersion: e.server?.version ?? null,
      protocolVersion: e.protocolVersion,
      transport: e.transport,
      isError: Boolean(e.isError) || Boolean(e.error),
      errorType: e.error?.type ?? null,
      errorMessage: e.error?.message ?? null,
      errorCode: e.error?.code ?? null,
      errorStack: e.error?.stack ?? null,
      arguments: e.arguments,
      result: e.result,
      tags: e.tags,
      properties: e.properties,
    }),
  );

const ENVELOPE_OBJECTS = ['user', 'client', 'server', 'error'] as const;

/** Payload fields are walked by their schema; this covers the event's own keys. */
function findForbiddenEnvelopeKey(input: unknown): string | null {
  if (input === null || typeof input !== 'object') return null;
  const objects = [input, ...ENVELOPE_OBJECTS.map((name) => (input as Record<string, unknown>)[name])];
  for (const object of objects) {
    if (object === null || typeof object !== 'object') continue;
    for (const key of Object.keys(object)) if (FORBIDDEN_KEYS.has(key)) return key;
  }
  return null;
}

export type EventValidation = { ok: true; event: ValidEvent } | { ok: false; reason: string };

/** Validates one wire event; the reason names the first offending field. */
export function validateEvent(input: unknown): EventValidation {
  const forbidden = findForbiddenEnvelopeKey(input);
  if (forbidden) return { ok: false, reason: `forbidden key "${forbidden}"` };
  const parsed = wireEventSchema.safeParse(input);
  if (parsed.success) return { ok: true, event: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.join('.') : 'event';
  return { ok: false, reason: `${path}: ${issue?.message ?? 'invalid'}` };
}
