import type { Worker } from 'node:worker_threads';
import type { Availability } from '../availability.js';
import type { IngestWriter, ProjectIngests } from '../engine.js';
import { fromErrorInfo, startWorker, toErrorInfo, type ErrorInfo } from './worker-threads.js';

export interface WriterThreadOptions {
  path: string;
  durability: 'normal' | 'full';
  sessionTimeoutMs: number;
}

export type WriterRequest = { type: 'store'; id: number; projects: ProjectIngests } | { type: 'close' };
export type WriterReply = { id: number; stored: Map<string, Set<string>> } | { id: number; error: ErrorInfo };

interface Pending {
  resolve: (stored: Map<string, Set<string>>) => void;
  reject: (error: Error) => void;
}

/**
 * Runs SQLite ingest transactions on a thread of their own with its own
 * connection, so that the main thread reads and validates the next requests
 * while the file is written (better-sqlite3 blocks the thread it runs on).
 * Queries run on the read pool (read-pool.ts): WAL lets them read beside the writer.
 * A thread that dies fails the groups it held (the store then retries their
 * requests one by one) and a new thread takes the next write. Every group's
 * outcome goes to `availability`, as every query's does.
 */
export function startWriterThread(options: WriterThreadOptions, availability: Availability): IngestWriter {
  let nextId = 0;
  let current: { worker: Worker; pending: Map<number, Pending> } | null = null;
  let closed = false;

  const spawn = () => {
    const thread = { worker: startWorker('writer-thread-entry', options), pending: new Map<number, Pending>() };
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
