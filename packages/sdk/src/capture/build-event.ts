import type { LIMITS, WireEvent } from '@mcptrail/protocol';
import type { ObservedRequest } from '../adapters/observed-request.js';
import { isRecord } from '../adapters/request-view.js';
import type { UserIdentity } from '../types.js';
import { argumentsOf, keepsResult, targetOf } from './targets.js';
import { clip, sanitize, type SanitizeOptions } from './truncate.js';

/** Wire caps (packages/protocol LIMITS), pinned by type so a change there fails this build. */
const MAX_ID: (typeof LIMITS)['maxIdLength'] = 256;
const MAX_NAME: (typeof LIMITS)['maxNameLength'] = 256;
const MAX_TARGET: (typeof LIMITS)['maxTargetLength'] = 2048;
const MAX_MESSAGE: (typeof LIMITS)['maxMessageLength'] = 16_384;
const MAX_STACK: (typeof LIMITS)['maxStackLength'] = 32_768;
const MAX_TAGS: (typeof LIMITS)['maxTags'] = 64;
const MAX_TAG_KEY: (typeof LIMITS)['maxTagKeyLength'] = 128;
const MAX_TAG_VALUE: (typeof LIMITS)['maxTagValueLength'] = 1024;
const FORBIDDEN_TAG_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface CaptureConfig {
  arguments: boolean;
  results: boolean;
  sanitize: SanitizeOptions;
}

type WireError = NonNullable<WireEvent['error']>;

function errorFromThrown(thrown: unknown): WireError {
  if (thrown instanceof Error || isRecord(thrown)) {
    const e = thrown as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown };
    const type =
      typeof e.name === 'string' && e.name !== 'Error' ? e.name : ((thrown as object).constructor?.name ?? 'Error');
    const code = typeof e.code === 'number' || typeof e.code === 'string' ? e.code : null;
    return {
      type: clip(String(type), MAX_NAME),
      message: clip(typeof e.message === 'string' ? e.message : String(thrown), MAX_MESSAGE),
      code: typeof code === 'string' ? clip(code, MAX_NAME) : code,
      stack: typeof e.stack === 'string' ? clip(e.stack, MAX_STACK) : null,
    };
  }
  return { type: typeof thrown, message: clip(String(thrown), MAX_MESSAGE), code: null, stack: null };
}

/** A tool result with `isError: true`: its first text block is the message. */
function errorFromResult(result: Record<string, unknown>): WireError {
  const content = Array.isArray(result.content) ? result.content : [];
  const text = content.find((block): block is { text: string } => isRecord(block) && typeof block.text === 'string');
  return {
    type: 'ToolError',
    message: clip(text?.text ?? 'tool returned isError', MAX_MESSAGE),
    code: null,
    stack: null,
  };
}

export function cleanTags(tags: Record<string, string> | null | undefined): Record<string, string> | null {
  if (!isRecord(tags)) return null;
  const out: Record<string, string> = {};
  let n = 0;
  for (const [key, value] of Object.entries(tags)) {
    if (n >= MAX_TAGS) break;
    if (!key || FORBIDDEN_TAG_KEYS.has(key) || value === undefined || value === null) continue;
    out[clip(key, MAX_TAG_KEY)] = clip(String(value), MAX_TAG_VALUE);
    n++;
  }
  return n > 0 ? out : null;
}

/**
 * Pure: one observed request (and its user, if identified) → one wire event.
 * Fields with nothing to say are left out rather than sent as null: every
 * byte is queued, sent and parsed.
 */
export function buildEvent(
  id: string,
  observed: ObservedRequest,
  user: UserIdentity | null,
  capture: CaptureConfig,
): WireEvent {
  const { method, params, outcome } = observed;
  const result = observed.ok && isRecord(outcome) ? outcome : undefined;
  const toolError = result?.isError === true;
  const target = targetOf(method, params);
  const event: WireEvent = {
    id,
    timestamp: observed.timestamp,
    durationMs: Math.max(0, Math.round(observed.durationMs * 1000) / 1000),
    method: clip(method, MAX_NAME),
    isError: !observed.ok || toolError,
  };
  if (target !== undefined) event.target = clip(target, MAX_TARGET);
  if (observed.sessionId) event.sessionId = clip(observed.sessionId, MAX_ID);
  if (observed.conversationId) event.conversationId = observed.conversationId;
  if (observed.clientFingerprint) event.clientFingerprint = observed.clientFingerprint;
  // An id with nothing left once made storable (only NULs) names no one: the event goes anonymous.
  const userId = user ? clip(user.userId, MAX_ID) : '';
  if (user && userId !== '') {
    const wireUser: NonNullable<WireEvent['user']> = { id: userId };
    if (typeof user.userName === 'string' && user.userName !== '') wireUser.name = clip(user.userName, MAX_TARGET);
    const data = sanitize(user.userData, capture.sanitize);
    if (data !== undefined && data !== null) wireUser.data = data;
    event.user = wireUser;
  }
  if (observed.client) {
    event.client = { name: clip(observed.client.name, MAX_NAME) };
    if (observed.client.version) event.client.version = clip(observed.client.version, MAX_NAME);
    // Absent means clientInfo on the wire: the common case costs no bytes.
    if (observed.client.source && observed.client.source !== 'clientInfo') event.client.source = observed.client.source;
  }
  if (observed.server?.name) {
    event.server = { name: clip(observed.server.name, MAX_NAME) };
    if (observed.server.version) event.server.version = clip(String(observed.server.version), MAX_NAME);
  }
  if (observed.protocolVersion) event.protocolVersion = clip(observed.protocolVersion, MAX_NAME);
  if (observed.transport) event.transport = observed.transport;
  if (!observed.ok) event.error = errorFromThrown(outcome);
  else if (toolError && result) event.error = errorFromResult(result);
  if (capture.arguments) {
    const args = sanitize(argumentsOf(method, params), capture.sanitize);
    if (args !== undefined) event.arguments = args;
  }
  if (capture.results && observed.ok && keepsResult(method)) {
    const kept = sanitize(outcome, capture.sanitize);
    if (kept !== undefined) event.result = kept;
  }
  return event;
}
