import { Worker } from 'node:worker_threads';
import { StorageUnavailableError, type Availability, type Unavailability } from '../availability.js';
import type { IngestWriter, ProjectIngests } from '../engine.js';

export interface WriterThreadOptions {
  path: string;
  durability: 'normal' | 'full';
  sessionTimeoutMs: number;
}

export type WriterRequest = { type: 'store'; id: number; projects: ProjectIngests } | { type: 'close' };
export type WriterReply = { id: number; stored: Map<string, Set<string>> } | { id: number; error: ErrorInfo };

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
    ...(error instanceof StorageUnavailableError ? { unavailable: { kind: error.kind, reason: error.reason }, cause: toErrorInfo(error.cause) } : {}),
  };
}

function fromErrorInfo(info: ErrorInfo): Error {
  const { unavailable, cause, ...rest } = info;
  if (unavailable) return new StorageUnavailableError(unavailable, { cause: cause && fromErrorInfo(cause) });
  return Object.assign(new Error(info.message), rest);
}

interface Pending {
  resolve: (stored: Map<string, Set<string>>) => void;
  reject: (error: Error) => void;
}

/**
 * Runs SQLite ingest transactions on a thread of their own with its own
 * connection, so that the main thread reads and validates the next requests
 * while the file is written (better-sqlite3 blocks the thread it runs on).
 * Queries stay on the main connection: WAL lets them read beside the writer.
 * A thread that dies fails the groups it held (the store then retries their
 * requests one by one) and a new thread takes the next write. Every group's
 * outcome goes to `availability`, as the main connection's queries do.
 */
export function startWriterThread(options: WriterThreadOptions, availability: Availability): IngestWriter {
  let nextId = 0;
  let current: { worker: Worker; pending: Map<number, Pending> } | null = null;
  let closed = false;

  const spawn = () => {
    const thread = { worker: createWorker(options), pending: new Map<number, Pending>() };
    thread.worker.on('message', (reply: WriterReply) => {
      const request = thread.pending.get(reply.id);
      thread.pending.delete(reply.id);
      if ('error' in reply) request?.reject(fromErrorInfo(reply.error));
      else request?.resolve(reply.stored);
    });
    // Each thread fails only its own groups: a replacement may already hold new ones.
    const fail = (error: Error) => {
      if (current === thread) current = null;
      for (const request of thread.pending.values()) request.reject(error);
      thread.pending.clear();
    };
    thread.worker.on('error', (error) => fail(fromErrorInfo(toErrorInfo(error))));
    thread.worker.on('exit', (code) => fail(new Error(`the SQLite writer thread exited (code ${code})`)));
    return thread;
  };

  const send = (projects: ProjectIngests) =>
    new Promise<Map<string, Set<string>>>((resolve, reject) => {
      if (closed) return reject(new Error('the store is closed'));
      const thread = (current ??= spawn());
      const id = nextId++;
      thread.pending.set(id, { resolve, reject });
      try {
        thread.worker.postMessage({ type: 'store', id, projects } satisfies WriterRequest);
      } catch (error) {
        thread.pending.delete(id);
        reject(fromErrorInfo(toErrorInfo(error)));
      }
    });

  return {
    write: (projects) => availability.track(() => send(projects), 'writes'),
    async close() {
      closed = true;
      const thread = current;
      current = null;
      if (!thread) return;
      // Messages are handled in order: the close comes after every group already sent.
      const exited = new Promise((resolve) => thread.worker.once('exit', resolve));
      thread.worker.postMessage({ type: 'close' } satisfies WriterRequest);
      await exited;
    },
  };
}

function createWorker(options: WriterThreadOptions): Worker {
  const source = import.meta.url;
  if (!source.endsWith('.ts')) return new Worker(new URL('./writer-thread-entry.js', source), { workerData: options });
  // Running from TypeScript sources (the test runner): load the entry through tsx.
  const entry = JSON.stringify(new URL('./writer-thread-entry.ts', source).href);
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); })`, { eval: true, workerData: options });
}
