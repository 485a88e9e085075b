import { parentPort, workerData } from 'node:worker_threads';
import { StatisticsSchedule } from '../engine.js';
import { storeGroup, type IngestContext } from '../kysely/ingest-transaction.js';
import { createSqliteEngine } from './sqlite-engine.js';
import type { WriterReply, WriterRequest, WriterThreadOptions } from './writer-thread.js';
import { toErrorInfo } from './worker-threads.js';

const port = parentPort!;
const options = workerData as WriterThreadOptions;
// Opened on the first group, so that a file that cannot be opened fails that group with the driver's message.
let ctx: IngestContext | undefined;
const schedule = new StatisticsSchedule();
const open = (): IngestContext => {
  ctx ??= {
    engine: createSqliteEngine(options.path, { durability: options.durability, writerThread: false, readWorkers: 0 }),
    timeoutMs: options.sessionTimeoutMs,
  };
  return ctx;
};

// One group at a time, in the order they came; a close waits for the groups before it.
let previous: Promise<void> = Promise.resolve();
port.on('message', (request: WriterRequest) => {
  previous = previous.then(() => handle(request));
});

async function handle(request: WriterRequest): Promise<void> {
  if (request.type === 'close') {
    await ctx?.engine.close();
    port.close();
    return;
  }
  let reply: WriterReply;
  let refresh = false;
  try {
    const stored = await storeGroup(open(), request.projects);
    refresh = schedule.stored(stored);
    reply = { id: request.id, stored };
  } catch (error) {
    reply = { id: request.id, error: toErrorInfo(error) };
  }
  port.postMessage(reply);
  // After the answer, between groups: the next group waits for it, but no acknowledgement does.
  if (refresh) await ctx!.engine.refreshStatistics().catch(() => {});
}
