import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { StorageEngine } from './engine.js';
import { migrate } from './open-store.js';
import { QueryCancelledError, QueryTimeoutError, withQueryContext } from './query-context.js';
import type { Database } from './schema.js';

/**
 * How queries (`engine.readDb`) behave on every engine: bounded by the query
 * timeout, cancelled with their request, never stale. Each engine's test file
 * calls this with a factory for a fresh engine with a single connection for
 * queries, so that a query left running would hold up the next one.
 */
export interface ReadEngineFactory {
  name: string;
  open(options: { queryTimeoutMs: number }): Promise<StorageEngine>;
}

/** Works inside the database for a while on every engine (here about 1.5 s on SQLite, 3 s on PostgreSQL). */
const slow = (db: Kysely<Database>) =>
  sql`with recursive c(i) as (select 1 union all select i + 1 from c where i < 10000000)
    select count(*) as n from c`.execute(db);
const quick = (db: Kysely<Database>) => sql<{ one: number }>`select 1 as one`.execute(db);

/** How `work` ended (its value or its error) and when. */
async function timed<T>(work: () => Promise<T>): Promise<{ outcome: T | unknown; ms: number; endedAt: number }> {
  const start = performance.now();
  const outcome = await work().catch((error: unknown) => error);
  const endedAt = performance.now();
  return { outcome, ms: endedAt - start, endedAt };
}

export function runReadContract(factory: ReadEngineFactory): void {
  describe(`reads: ${factory.name}`, () => {
    const engines: StorageEngine[] = [];
    const open = async (queryTimeoutMs: number) => {
      const engine = await factory.open({ queryTimeoutMs });
      engines.push(engine);
      return engine;
    };
    afterEach(async () => {
      await Promise.all(engines.splice(0).map((engine) => engine.close()));
    });

    it('stops a query past the timeout (QueryTimeoutError), runs the next at once; writes never time out', async () => {
      const engine = await open(250);
      await quick(engine.readDb);
      const natural = await timed(() => slow(engine.db));
      expect(natural.outcome, 'on the writing connection the statement runs to its end').not.toBeInstanceOf(Error);
      expect(natural.ms, 'the statement must outlast the timeout well to show anything').toBeGreaterThan(750);

      const startedAt = performance.now();
      const stopped = await timed(() => slow(engine.readDb));
      expect(stopped.outcome).toBeInstanceOf(QueryTimeoutError);
      expect(stopped.ms).toBeGreaterThanOrEqual(240);
      const next = await timed(() => quick(engine.readDb));
      expect((next.outcome as { rows: unknown[] }).rows).toEqual([{ one: 1 }]);
      // The stopped statement no longer holds the one read connection.
      expect(next.endedAt).toBeLessThan(startedAt + natural.ms);
    });

    it('cancels the queries of a request whose client left, waiting or running; the next does not wait', async () => {
      const engine = await open(60_000);
      await quick(engine.readDb);
      const natural = await timed(() => slow(engine.db));

      const startedAt = performance.now();
      const client = new AbortController();
      const running = timed(() => withQueryContext({ signal: client.signal }, () => slow(engine.readDb)));
      const other = new AbortController();
      const waiting = timed(() => withQueryContext({ signal: other.signal }, () => quick(engine.readDb)));
      // A round trip on the writing connection: meanwhile both have asked for the one read connection.
      await quick(engine.db);
      other.abort();
      expect((await waiting).outcome).toBeInstanceOf(QueryCancelledError);
      await quick(engine.db);
      client.abort();
      expect((await running).outcome).toBeInstanceOf(QueryCancelledError);
      const next = await timed(() => quick(engine.readDb));
      expect((next.outcome as { rows: unknown[] }).rows).toEqual([{ one: 1 }]);
      expect(next.endedAt).toBeLessThan(startedAt + natural.ms);
    });

    it('reads every commit at once: each query sees the latest one', async () => {
      const engine = await open(60_000);
      await migrate(engine);
      const count = async () =>
        Number(
          (
            await engine.readDb
              .selectFrom('projects')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      for (let i = 1; i <= 5; i++) {
        await engine.db
          .insertInto('projects')
          .values({
            id: `p${i}`,
            name: `p${i}`,
            write_key_hash: `w${i}`,
            read_key_hash: `r${i}`,
            created_at: i,
            dropped_events: 0,
          })
          .execute();
        expect(await count()).toBe(i);
      }
    });
  });
}
