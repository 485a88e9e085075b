import { Worker } from 'node:worker_threads';
import type { IngestWriter } from '../engine.js';
import type { ProjectIngests } from '../kysely/ingest-coalescer.js';

export interface WriterThreadOptions {
  path: string;
  durability: 'normal' | 'full';
  sessionTimeoutMs: number;
}

export type WriterRequest = { type: 'store'; id: number; projects: ProjectIngests } | { type: 'close' };
export type WriterReply = { id: number; stored: Map<string, Set<string>> } | { id: number; error: unknown };

interface Pending {
  resolve: (stored: Map<string, Set<string>>) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs SQLite ingest transactions on a thread of their own with its own
 * connection, so that the main thread reads and validates the next requests
 * while the file is written (better-sqlite3 blocks the thread it runs on).
 * Queries stay on the main connection: WAL lets them read beside the writer.
 * A thread that dies fails the groups it held and is replaced on the next write.
 */
export function startWriterThread(options: WriterThreadOptions): IngestWriter {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let worker: Worker | null = null;

  const spawn = (): Worker => {
    const thread = createWorker(options);
    thread.on('message', (reply: WriterReply) => {
      const request = pending.get(reply.id);
      pending.delete(reply.id);
      if ('error' in reply) request?.reject(reply.error);
      else request?.resolve(reply.stored);
    });
    const fail = (error: unknown) => {
      if (worker === thread) worker = null;
      for (const request of pending.values()) request.reject(error);
      pending.clear();
    };
    thread.on('error', fail);
    thread.on('exit', (code) => fail(new Error(`the SQLite writer thread exited (code ${code})`)));
    return thread;
  };

  return {
    write: (projects) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        (worker ??= spawn()).postMessage({ type: 'store', id, projects } satisfies WriterRequest);
      }),
    async close() {
      const thread = worker;
      worker = null;
      if (!thread) return;
      // Messages are handled in order: the close comes after every group already sent.
      const exited = new Promise((resolve) => thread.once('exit', resolve));
      thread.postMessage({ type: 'close' } satisfies WriterRequest);
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
