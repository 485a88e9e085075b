import { parentPort, workerData } from 'node:worker_threads';
import { storeGroup } from '../kysely/ingest-transaction.js';
import { deriveSessionId } from '../session-ids.js';
import { createSqliteEngine } from './sqlite-engine.js';
import type { WriterReply, WriterRequest, WriterThreadOptions } from './writer-thread.js';

const port = parentPort!;
const options = workerData as WriterThreadOptions;
const engine = createSqliteEngine(options.path, { durability: options.durability, writerThread: false });
const ctx = { engine, timeoutMs: options.sessionTimeoutMs, deriveId: deriveSessionId };

// One group at a time, in the order they came; a close waits for the groups before it.
let previous: Promise<void> = Promise.resolve();
port.on('message', (request: WriterRequest) => {
  previous = previous.then(() => handle(request));
});

async function handle(request: WriterRequest): Promise<void> {
  if (request.type === 'close') {
    await engine.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  try {
    reply = { id: request.id, stored: await storeGroup(ctx, request.projects) };
  } catch (error) {
    reply = { id: request.id, error };
  }
  port.postMessage(reply);
}
