import type { LIMITS } from '@mcptrail/protocol';
import { REDACTED, type SensitiveKeyTest } from './redact.js';

/** Pinned to the wire contract at compile time: a different LIMITS value fails the build. */
export const WIRE_MAX_PAYLOAD_BYTES: (typeof LIMITS)['maxPayloadBytes'] = 262_144;
export const WIRE_MAX_DEPTH: (typeof LIMITS)['maxDepth'] = 32;
export const DEFAULT_MAX_PAYLOAD_BYTES = 32 * 1024;
export const MAX_DEPTH = 12;
export const MAX_STRING_CHARS = 8 * 1024;
export const MAX_ARRAY_ITEMS = 200;

/** Keys the collector refuses anywhere in a payload (wire contract FORBIDDEN_KEYS). */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const BINARY_TYPES = new Set(['image', 'audio']);

/** Decoded size of base64 text. */
export function base64Bytes(data: string): number {
  let padding = 0;
  if (data.endsWith('==')) padding = 2;
  else if (data.endsWith('=')) padding = 1;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

export interface SanitizeOptions {
  isSensitive: SensitiveKeyTest;
  maxBytes: number;
  /**
   * Return a value that needs no change as it is, uncopied. Safe when the
   * event is serialized before anyone could mutate it (no `redact` hook).
   */
  shareClean?: boolean;
}

interface WalkState {
  size: number;
  budget: number;
  over: boolean;
}

/** Objects on the current walk's path (the walk is synchronous, so one set serves every call). */
const seen = new Set<object>();

/** Binary content blocks (image, audio) and blob resources become a stub with type and size. */
function binaryStub(value: Record<string, unknown>): Record<string, unknown> | null {
  if (typeof value.type === 'string' && BINARY_TYPES.has(value.type) && typeof value.data === 'string') {
    return { type: value.type, mimeType: value.mimeType ?? null, omitted: 'binary', bytes: base64Bytes(value.data) };
  }
  if (typeof value.blob === 'string') {
    return {
      uri: value.uri ?? null,
      mimeType: value.mimeType ?? null,
      omitted: 'binary',
      bytes: base64Bytes(value.blob),
    };
  }
  return null;
}

function walk(value: unknown, depth: number, state: WalkState, options: SanitizeOptions): unknown {
  if (state.over) return undefined;
  switch (typeof value) {
    case 'string': {
      const text =
        value.length > MAX_STRING_CHARS
          ? `${value.slice(0, MAX_STRING_CHARS)}…[${value.length - MAX_STRING_CHARS} more chars]`
          : value;
      state.size += text.length + 2;
      if (state.size > state.budget) state.over = true;
      return text;
    }
    case 'number':
      state.size += 8;
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      state.size += 5;
      return value;
    case 'bigint':
      state.size += 20;
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) {
    state.size += 4;
    return null;
  }
  const object = value as object;
  if (depth >= MAX_DEPTH) return '[max depth]';
  if (seen.has(object)) return '[circular]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return { omitted: 'binary', bytes: (value as ArrayBuffer).byteLength };
  }
  seen.add(object);
  try {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      const n = Math.min(value.length, MAX_ARRAY_ITEMS);
      for (let i = 0; i < n && !state.over; i++) {
        const item = walk(value[i], depth + 1, state, options);
        out.push(item === undefined ? null : item);
      }
      if (value.length > n) out.push(`…[${value.length - n} more items]`);
      state.size += 2 + out.length;
      return out;
    }
    const record = value as Record<string, unknown>;
    const stub = binaryStub(record);
    if (stub) {
      state.size += 64;
      return stub;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record)) {
      if (state.over) break;
      if (FORBIDDEN.has(key)) continue;
      state.size += key.length + 4;
      if (options.isSensitive(key) && record[key] !== undefined && record[key] !== null) {
        out[key] = REDACTED;
        continue;
      }
      const item = walk(record[key], depth + 1, state, options);
      if (item !== undefined) out[key] = item;
    }
    return out;
  } finally {
    seen.delete(object);
  }
}

/**
 * Whether `value` would come out of `walk` unchanged and well under the cap:
 * plain objects and arrays of JSON values, nothing to redact, stub or clip.
 * Cheaper than a copy (no allocation); most tool arguments and results pass.
 */
function isClean(value: unknown, depth: number, state: WalkState, options: SanitizeOptions): boolean {
  switch (typeof value) {
    case 'string':
      state.size += value.length + 2;
      return value.length <= MAX_STRING_CHARS && state.size * 2 < state.budget;
    case 'number':
      state.size += 8;
      return Number.isFinite(value);
    case 'boolean':
      state.size += 5;
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    if (value.length > MAX_ARRAY_ITEMS) return false;
    for (let i = 0; i < value.length; i++) if (!isClean(value[i], depth + 1, state, options)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const record = value as Record<string, unknown>;
  if (
    typeof record.blob === 'string' ||
    (typeof record.data === 'string' && typeof record.type === 'string' && BINARY_TYPES.has(record.type))
  )
    return false;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) return false;
    state.size += key.length + 4;
    if (FORBIDDEN.has(key) || options.isSensitive(key) || !isClean(record[key], depth + 1, state, options))
      return false;
  }
  return true;
}

/**
 * A JSON-safe copy of `value`: sensitive keys redacted, binary content
 * stubbed, long strings and arrays clipped, and the whole capped at
 * `maxBytes` of JSON (beyond it: `{ truncated: true, bytes, preview }`).
 */
export function sanitize(value: unknown, options: SanitizeOptions): unknown {
  if (value === undefined) return undefined;
  if (options.shareClean && isClean(value, 0, { size: 0, budget: options.maxBytes, over: false }, options))
    return value;
  const state: WalkState = { size: 0, budget: options.maxBytes, over: false };
  const copy = walk(value, 0, state, options);
  if (!state.over && state.size * 2 < options.maxBytes) return copy;
  // Near or over the cap: measure exactly (escapes can make JSON longer than the estimate).
  const text = JSON.stringify(copy) ?? 'null';
  if (!state.over && text.length <= options.maxBytes) return copy;
  return { truncated: true, limitBytes: options.maxBytes, preview: text.slice(0, Math.min(1024, options.maxBytes)) };
}

/**
 * The one way the SDK turns a string into a wire text field: clipped to `max`
 * UTF-16 units without cutting a surrogate pair in two, lone surrogates
 * replaced by U+FFFD and NUL removed. The collector refuses both in the
 * fields it stores as text (packages/protocol `rawTextProblem`), and they come
 * from users: identify() answers, client and tool names, error messages.
 */
export function clip(value: string, max: number): string {
  let text = value;
  if (text.length > max) {
    const last = text.charCodeAt(max - 1);
    text = text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
  }
  if (!text.isWellFormed()) text = text.toWellFormed();
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}
