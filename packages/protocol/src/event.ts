import { z } from 'zod';
import { FORBIDDEN_KEYS, LIMITS } from './limits.js';

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
  clientSource: ClientSource | null;
  clientFingerprint: string | null;
  conversationId: string | null;
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

/**
 * Where an SDK found the client's name, most trusted first: the MCP `clientInfo`
 * (per-request envelope, `initialize`, or a conversation token made from it), an
 * `x-mcp-client-name` header, the User-Agent. A session's client is the name from
 * the most trusted source among its events.
 */
export const CLIENT_SOURCES = ['clientInfo', 'header', 'userAgent'] as const;
export type ClientSource = (typeof CLIENT_SOURCES)[number];

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

const text = (max: number) => z.string().max(max);
const optionalText = (max: number) => text(max).nullish();
const nonEmpty = (max: number) => z.string().min(1).max(max);
const anyJson = z.unknown().optional();

export function parseTimestamp(value: string | number): number | null {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? Math.trunc(ms) : null;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))$/;

/** Date.parse rolls 2024-02-30 over to March 1; a timestamp that names no real moment is refused. */
function isRealDateTime(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second = 0, offsetHour = 0, offsetMinute = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return (
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 60 &&
    offsetHour! <= 23 &&
    offsetMinute! <= 59
  );
}

/**
 * The event's shape: the one source of the wire contract (docs/api.md). `WireEvent`
 * is its input type, and `npm run build` publishes it as JSON Schema
 * (`schema/wire-event.schema.json`). Plain checks only, so zod can compile them to
 * a fast path; what needs code (timestamps, payload walks, serialization) is in `validateEvent`.
 */
export const wireEventSchema = z
  .object({
    id: nonEmpty(LIMITS.maxIdLength).describe('Client-generated unique id; the idempotency key within a project.'),
    timestamp: z
      .union([z.number(), z.string().max(64)])
      .describe('When the request started: RFC 3339 string or epoch milliseconds.'),
    durationMs: z.number().min(0).max(1e10).nullish().describe('Time from request to response, ms.'),
    method: nonEmpty(LIMITS.maxNameLength).describe('JSON-RPC method, e.g. `tools/call`.'),
    target: optionalText(LIMITS.maxTargetLength).describe('Tool or prompt name, resource URI.'),
    sessionId: optionalText(LIMITS.maxIdLength).describe(
      'The transport session id, only when the server has one (stdio, in-memory, stateful HTTP).',
    ),
    user: z
      .object({ id: nonEmpty(LIMITS.maxIdLength), name: optionalText(LIMITS.maxTargetLength), data: anyJson })
      .nullish()
      .describe('The identified user (`data`: any JSON).'),
    client: z
      .object({
        name: text(LIMITS.maxNameLength),
        version: optionalText(LIMITS.maxNameLength),
        // Text, not an enum: a newer SDK's source must not get its events refused.
        source: optionalText(LIMITS.maxNameLength).describe(
          'Where the sender found the name: clientInfo (default), header, userAgent.',
        ),
      })
      .nullish()
      .describe("The AI client's raw name and version."),
    clientFingerprint: optionalText(LIMITS.maxIdLength).describe(
      'Stateless requests of a client that names itself only in `initialize`: ' +
        'a keyed hash of what every request of one client connection carries (docs/adr/0104).',
    ),
    conversationId: optionalText(LIMITS.maxIdLength).describe(
      'The conversation an opt-in conversation token names: exact, like a transport session.',
    ),
    server: z
      .object({ name: text(LIMITS.maxNameLength), version: optionalText(LIMITS.maxNameLength) })
      .nullish()
      .describe('The MCP server.'),
    protocolVersion: optionalText(LIMITS.maxNameLength).describe('MCP protocol revision, e.g. `2026-07-28`.'),
    transport: optionalText(LIMITS.maxNameLength).describe('`stdio`, `streamable-http`, `in-memory`, …'),
    isError: z.boolean().nullish().describe('Defaults to false; an event with `error` counts as an error.'),
    error: z
      .object({
        type: optionalText(LIMITS.maxNameLength),
        message: text(LIMITS.maxMessageLength),
        code: z.union([z.number(), text(LIMITS.maxNameLength)]).nullish(),
        stack: optionalText(LIMITS.maxStackLength),
      })
      .nullish(),
    arguments: anyJson.describe('Request arguments, any JSON.'),
    result: anyJson.describe('Response, any JSON.'),
    tags: z.record(z.string().min(1).max(LIMITS.maxTagKeyLength), text(LIMITS.maxTagValueLength)).nullish(),
    // Checked in code: zod's record parsing would silently drop a `__proto__` key.
    properties: anyJson.describe('Free-form object.'),
  })
  .describe('One observed MCP request. Unknown fields are ignored; null counts as absent.');

type ParsedEvent = z.output<typeof wireEventSchema>;

/**
 * One observed MCP request, as an SDK sends it: the schema's input. Required:
 * `id`, `timestamp`, `method`; everything else is optional and `null` counts as
 * absent. Unknown fields are ignored so that newer senders keep working with older collectors.
 */
export type WireEvent = z.input<typeof wireEventSchema>;

class Rejection extends Error {}

function checkTimestamp(value: string | number): number {
  if (typeof value === 'string') {
    const match = RFC3339.exec(value);
    if (!match) throw new Rejection('timestamp: not an RFC 3339 timestamp or epoch milliseconds');
    if (!isRealDateTime(match)) throw new Rejection('timestamp: not a real date and time');
  }
  const ms = parseTimestamp(value);
  if (ms === null) throw new Rejection('timestamp: cannot be parsed');
  if (ms < LIMITS.minTimestampMs) throw new Rejection('timestamp: before 2000-01-01');
  if (ms > Date.now() + LIMITS.maxFutureSkewMs) throw new Rejection('timestamp: more than 24 hours in the future');
  return ms;
}

/** Checks a free-form JSON payload and serializes it once (the collector stores the text). */
function payloadText(field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const problem = findPayloadProblem(value, 1);
  if (problem) throw new Rejection(`${field}: ${problem}`);
  const json = JSON.stringify(value);
  if (json.length > LIMITS.maxPayloadBytes)
    throw new Rejection(`${field}: larger than ${LIMITS.maxPayloadBytes} bytes as JSON`);
  return json;
}

function propertiesText(value: unknown): string | null {
  if (value !== undefined && value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    throw new Rejection('properties: must be an object');
  }
  return payloadText('properties', value);
}

function tagsText(tags: Record<string, string> | null | undefined): string | null {
  if (!tags) return null;
  const keys = Object.keys(tags);
  if (keys.length > LIMITS.maxTags) throw new Rejection(`tags: more than ${LIMITS.maxTags} tags`);
  for (const key of keys) if (FORBIDDEN_KEYS.has(key)) throw new Rejection(`tags: forbidden key "${key}"`);
  return keys.length > 0 ? JSON.stringify(tags) : null;
}

/** Fields stored as text as they are (payloads are JSON, where NUL is escaped). */
const RAW_TEXT_FIELDS = [
  'id',
  'method',
  'target',
  'transportSessionId',
  'userId',
  'userName',
  'clientName',
  'clientVersion',
  'clientFingerprint',
  'conversationId',
  'serverName',
  'serverVersion',
  'protocolVersion',
  'transport',
  'errorType',
  'errorMessage',
  'errorCode',
  'errorStack',
] as const;

/**
 * PostgreSQL text cannot hold U+0000, and neither engine can store a lone
 * surrogate (UTF-8 has no form for it: it would come back as U+FFFD, and an id
 * would then never match its resend). Refusing both here keeps every engine alike.
 */
function checkRawText(event: ValidEvent): ValidEvent {
  for (const field of RAW_TEXT_FIELDS) {
    const problem = rawTextProblem(event[field]);
    if (problem) throw new Rejection(`${field}: ${problem}`);
  }
  return event;
}

/** A NUL character, or half of a surrogate pair: one scan finds either. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored as text as it is, if it cannot. */
export function rawTextProblem(text: string | null | undefined): string | null {
  const found = text ? UNSTORABLE.exec(text) : null;
  if (!found) return null;
  return found[0] === '\u0000' ? 'contains a NUL character' : 'contains a lone surrogate (not valid Unicode text)';
}

/** An unknown source (a newer SDK's) counts as the MCP `clientInfo`, as an absent one does. */
function clientSourceOf(source: string | null | undefined): ClientSource {
  return (CLIENT_SOURCES as readonly string[]).includes(source ?? '') ? (source as ClientSource) : 'clientInfo';
}

function normalize(e: ParsedEvent): ValidEvent {
  return checkRawText({
    id: e.id,
    timestamp: checkTimestamp(e.timestamp),
    durationMs: e.durationMs ?? null,
    method: e.method,
    target: e.target ?? null,
    // An empty transport id names no session.
    transportSessionId: e.sessionId ? e.sessionId : null,
    userId: e.user?.id ?? null,
    userName: e.user?.name ?? null,
    userData: payloadText('user.data', e.user?.data),
    clientName: e.client?.name ? e.client.name : null,
    clientVersion: e.client?.version ?? null,
    clientSource: e.client?.name ? clientSourceOf(e.client.source) : null,
    // Empty ids name nothing.
    clientFingerprint: e.clientFingerprint ? e.clientFingerprint : null,
    conversationId: e.conversationId ? e.conversationId : null,
    serverName: e.server?.name ? e.server.name : null,
    serverVersion: e.server?.version ?? null,
    protocolVersion: e.protocolVersion ?? null,
    transport: e.transport ?? null,
    isError: Boolean(e.isError) || Boolean(e.error),
    errorType: e.error?.type ?? null,
    errorMessage: e.error?.message ?? null,
    errorCode: e.error?.code === undefined || e.error.code === null ? null : String(e.error.code),
    errorStack: e.error?.stack ?? null,
    arguments: payloadText('arguments', e.arguments),
    result: payloadText('result', e.result),
    tags: tagsText(e.tags),
    properties: propertiesText(e.properties),
  });
}

const ENVELOPE_OBJECTS = ['user', 'client', 'server', 'error', 'tags'] as const;

/** Payload fields are walked in `payloadText`; this covers the event's own keys. */
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
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.join('.') : 'event';
    return { ok: false, reason: `${path}: ${issue?.message ?? 'invalid'}` };
  }
  try {
    return { ok: true, event: normalize(parsed.data) };
  } catch (error) {
    if (error instanceof Rejection) return { ok: false, reason: error.message };
    throw error;
  }
}
