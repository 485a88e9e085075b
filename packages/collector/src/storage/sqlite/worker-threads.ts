import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { StorageUnavailableError, type Unavailability } from '../availability.js';

/**
 * An error as it crosses threads: driver errors are not plain `Error`s and would
 * arrive as `{ code }` alone, and a `StorageUnavailableError` must stay one.
 */
export interface ErrorInfo {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  unavailable?: Unavailability;
  cause?: ErrorInfo;
}

export function toErrorInfo(error: unknown): ErrorInfo {
  const e = error as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown; cause?: unknown } | null;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : typeof e?.code === 'string' ? e.code : String(error),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    ...(typeof e?.stack === 'string' ? { stack: e.stack } : {}),
    ...(error instanceof StorageUnavailableError
      ? { unavailable: { kind: error.kind, reason: error.reason }, cause: toErrorInfo(error.cause) }
      : {}),
  };
}

/** The error again on this side: same name, message, code and stack (`classifySqliteError` reads the code). */
export function fromErrorInfo(info: ErrorInfo): Error {
  const { unavailable, cause, ...rest } = info;
  if (unavailable) return new StorageUnavailableError(unavailable, { cause: cause && fromErrorInfo(cause) });
  return Object.assign(new Error(info.message), rest);
}

/**
 * A thread running `entry` (a module of this folder, by name), from the built
 * JavaScript, or from the TypeScript sources through tsx under the test runner.
 */
export function startWorker(entry: string, workerData: unknown): Worker {
  const source = import.meta.url;
  if (!source.endsWith('.ts')) return new Worker(new URL(`./${entry}.js`, source), { workerData });
  const href = JSON.stringify(new URL(`./${entry}.ts`, source).href);
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${href}); })`, {
    eval: true,
    workerData,
  });
}

/** The nice value of the read threads: above the main and writer threads' 0. */
export const READ_THREAD_NICE = 10;

/**
 * Lowers the calling thread's CPU priority where the OS sets it per thread
 * (Linux, through the thread's id): queries then run on what the main and
 * writer threads leave, so a loop of heavy dashboard queries slows itself, not
 * ingest acknowledgements. Elsewhere, or if not permitted, nothing changes.
 */
export function lowerThreadPriority(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId)) setPriority(threadId, READ_THREAD_NICE);
  } catch {
    // Not Linux, or not permitted: the thread keeps the process's priority.
  }
}
