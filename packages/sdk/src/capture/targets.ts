import { isRecord } from '../adapters/request-view.js';

type Params = Record<string, unknown> | undefined;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** What a method is about, by method: a table, not branches. */
const TARGETS: Record<string, (params: Params) => string | undefined> = {
  'tools/call': (p) => str(p?.name),
  'prompts/get': (p) => str(p?.name),
  'resources/read': (p) => str(p?.uri),
  'resources/subscribe': (p) => str(p?.uri),
  'resources/unsubscribe': (p) => str(p?.uri),
  'completion/complete': (p) => (isRecord(p?.ref) ? (str(p.ref.name) ?? str(p.ref.uri)) : undefined),
  'tasks/get': (p) => str(p?.taskId),
  'tasks/result': (p) => str(p?.taskId),
  'tasks/cancel': (p) => str(p?.taskId),
  'logging/setLevel': (p) => str(p?.level),
};

/** Which part of the params is the "arguments" of a method. */
const ARGUMENTS: Record<string, (params: Params) => unknown> = {
  'tools/call': (p) => p?.arguments,
  'prompts/get': (p) => p?.arguments,
  'completion/complete': (p) => p?.argument,
};

/** Methods whose results are worth keeping (lists and handshakes are not). */
const RESULT_METHODS = new Set(['tools/call', 'prompts/get', 'resources/read', 'completion/complete']);

export function targetOf(method: string, params: Params): string | undefined {
  return TARGETS[method]?.(params);
}

export function argumentsOf(method: string, params: Params): unknown {
  return ARGUMENTS[method]?.(params);
}

export function keepsResult(method: string): boolean {
  return RESULT_METHODS.has(method);
}
