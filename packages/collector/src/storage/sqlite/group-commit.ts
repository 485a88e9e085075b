import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.js';

interface Pending {
  work: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * SQLite has one writer, so concurrent ingests queue anyway. Those that queue
 * while a transaction runs are run together in the next one, each inside its
 * own savepoint: one commit writes the pages they share once, and a failing
 * ingest rolls back only itself. Every caller hears back only after the commit.
 */
export function groupCommit(db: Kysely<Database>, maxGroup = 16) {
  const queue: Pending[] = [];
  let draining = false;

  async function runGroup(group: Pending[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let trx: Awaited<ReturnType<ReturnType<typeof db.startTransaction>['execute']>> | undefined;
    try {
      trx = await db.startTransaction().execute();
      for (const item of group) {
        const savepoint = await trx.savepoint('ingest').execute();
        try {
          const value = await item.work(savepoint);
          await savepoint.releaseSavepoint('ingest').execute();
          outcomes.push({ ok: true, value });
        } catch (error) {
          await savepoint.rollbackToSavepoint('ingest').execute();
          outcomes.push({ ok: false, error });
        }
      }
      await trx.commit().execute();
    } catch (error) {
      await trx?.rollback().execute().catch(() => {});
      for (const item of group) item.reject(error);
      return;
    }
    group.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length > 0) {
        // One turn of the event loop first: requests already read off their sockets join this group.
        await new Promise((resolve) => setImmediate(resolve));
        await runGroup(queue.splice(0, maxGroup));
      }
    } finally {
      draining = false;
    }
  }

  return function writeTransaction<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!draining) void drain();
    });
  };
}
