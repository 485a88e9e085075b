import '../../../test-support/sketch-accuracy.js';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, probePostgres, reportMissingPostgres } from '../../../../../test/support/postgres.js';
import { openStore } from '../open-store.js';
import { runReadContract } from '../reads.contract.js';
import { runStoreContract, valid } from '../store.contract.js';
import { createPostgresEngine } from './postgres-engine.js';
import { createFirstProject, createProject } from '../../projects/keys.js';
import type { KyselyStore } from '../kysely/kysely-store.js';
import type { Store } from '../store.js';

const probe = await probePostgres();
const database = probe.ok ? await createTestDatabase('mct_store_test') : null;
afterAll(() => database?.drop());
const freshSchema = (prefix: string) => database!.schema(prefix);

/** Migrated schemas whose store was closed, emptied for the next test (the property test opens ~60 stores). */
const idle: ReturnType<typeof freshSchema>[] = [];

/** A migrated, empty store in a schema no other open store uses. */
async function openIsolated(sessionTimeoutMs: number): Promise<Store> {
  const schema = idle.pop() ?? freshSchema('mct_store');
  const store = await openStore({ db: schema.url, sessionTimeoutMs });
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await schema.empty();
    idle.push(schema);
  };
  return store;
}

/**
 * `count` stores on one new schema, opened at the same time: separate pools, like
 * separate collector instances. Runs `work` with them, then closes all.
 */
async function withStores(count: number, work: (stores: Store[]) => Promise<void>): Promise<void> {
  const schema = freshSchema('mct_instances');
  const stores = await Promise.all(
    Array.from({ length: count }, () => openStore({ db: schema.url, sessionTimeoutMs: 60_000 })),
  );
  try {
    await work(stores);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
    await schema.drop();
  }
}

/** As `withStores`, with a project to write to. */
const withInstances = (count: number, work: (stores: Store[], projectId: string) => Promise<void>) =>
  withStores(count, async (stores) => work(stores, (await createProject(stores[0]!, 'p')).id));

const T0 = Date.UTC(2026, 0, 1);

if (probe.ok) {
  runStoreContract({ name: 'postgres', open: ({ sessionTimeoutMs }) => openIsolated(sessionTimeoutMs) });

  runReadContract({
    name: 'postgres',
    async open({ queryTimeoutMs }) {
      const schema = freshSchema('mct_reads');
      // 3 connections: 2 write, 1 serves queries.
      const engine = await createPostgresEngine(schema.url, { poolSize: 3, queryTimeoutMs });
      const close = engine.close.bind(engine);
      engine.close = async () => {
        await close();
        await schema.drop();
      };
      return engine;
    },
  });

  describe('postgres engine', () => {
    it('migrates once when several instances start on one empty schema together', () =>
      withInstances(5, async (stores, projectId) => {
        await stores[1]!.ingest(projectId, [valid({ id: 'a', timestamp: T0, method: 'm' })], 0, Date.now());
        expect((await stores[4]!.getEvent(projectId, 'a'))?.method).toBe('m');
      }));

    it('creates one first project when several instances start on an empty database together', () =>
      withStores(4, async (stores) => {
        const created = await Promise.all(stores.map((store) => createFirstProject(store, 'default')));
        expect(created.filter((project) => project !== null)).toHaveLength(1);
        const ids = await Promise.all(stores.map(async (store) => (await createFirstProject(store, 'again')) === null));
        expect(ids).toEqual([true, true, true, true]);
      }));

    it('serializes concurrent writers of one key: one session, not two', () =>
      withInstances(4, async (stores, projectId) => {
        for (let round = 0; round < 5; round++) {
          // Each writer sends one event of the same user and client, all within the timeout of each other,
          // and a duplicate of a shared anonymous event.
          await Promise.all(
            stores.map((store, i) =>
              store.ingest(
                projectId,
                [
                  valid({
                    id: `r${round}-${i}`,
                    timestamp: T0 + round * 3_600_000 + i * 1_000,
                    method: 'm',
                    user: { id: 'u' },
                    client: { name: 'c' },
                  }),
                  valid({ id: `anon-${round}`, timestamp: T0, method: 'm' }),
                ],
                0,
                Date.now(),
              ),
            ),
          );
        }
        const list = await stores[0]!.listSessions(projectId, { limit: 100 });
        expect(list.items.filter((s) => s.kind === 'grouped').map((s) => s.eventCount)).toEqual([4, 4, 4, 4, 4]);
        expect(list.items.filter((s) => s.kind === 'anonymous').map((s) => s.eventCount)).toEqual([1, 1, 1, 1, 1]);
      }));

    it('stores one version of an id sent concurrently with different session keys', () =>
      withInstances(3, async (stores, projectId) => {
        const outcomes = await Promise.all(
          stores.map((store, i) =>
            store.ingest(
              projectId,
              [valid({ id: 'same', timestamp: T0, method: `v${i}`, user: { id: `user${i}` } })],
              0,
              Date.now(),
            ),
          ),
        );
        expect(outcomes.map((o) => o.accepted).sort()).toEqual([0, 0, 1]);
        const list = await stores[0]!.listSessions(projectId, { limit: 100 });
        expect(list.items.map((s) => s.eventCount)).toEqual([1]);
      }));

    it('stores a block once when instances store the same request at once, and every instance reads every body', () =>
      withInstances(3, async (stores, projectId) => {
        const batch = (round: number) =>
          Array.from({ length: 300 }, (_, i) =>
            valid({
              id: `r${round}-${i}`,
              timestamp: T0 + round * 60_000 + i,
              method: 'tools/call',
              target: `t${i % 4}`,
              user: { id: `u${i % 7}` },
              arguments: { round, i },
              result: { text: `result ${i} of round ${round}` },
            }),
          );
        // A sender retrying against three instances at once: each gets the same request, one stores each event.
        for (const round of [0, 1, 2]) {
          const outcomes = await Promise.all(
            stores.map((store) => store.ingest(projectId, batch(round), 0, Date.now())),
          );
          expect(outcomes.reduce((sum, o) => sum + o.accepted, 0)).toBe(300);
        }
        const engine = (stores[0] as KyselyStore).engine;
        const blocks = await engine.db
          .selectFrom('body_blocks')
          .select('key')
          .where('project_id', '=', projectId)
          .execute();
        expect(blocks.length).toBe(9);
        for (const [reader, store] of stores.entries()) {
          for (const round of [0, 1, 2]) {
            const event = await store.getEvent(projectId, `r${round}-${reader * 7}`);
            expect(JSON.parse(event!.argumentsJson!)).toEqual({ round, i: reader * 7 });
          }
        }
      }));

    it('stores text that array literals must escape unchanged', async () => {
      const store = await openIsolated(60_000);
      try {
        const project = await createProject(store, 'p');
        const nasty = ['NULL', '', '"quoted"', 'back\\slash', '{braces,commas}', 'new\nline', 'ünï©ødé 🚀', ' padded '];
        const events = nasty.map((text, i) =>
          valid({
            id: `n${i}`,
            timestamp: T0 + i,
            method: text || 'm',
            target: text,
            user: { id: text || 'u', name: text },
            arguments: { text, list: [text] },
            tags: { k: text },
          }),
        );
        await store.ingest(project.id, events, 0, Date.now());
        for (const [i, text] of nasty.entries()) {
          const event = await store.getEvent(project.id, `n${i}`);
          expect([
            event?.target,
            event?.user?.name,
            JSON.parse(event!.argumentsJson!),
            JSON.parse(event!.tagsJson!),
          ]).toEqual([text, text, { text, list: [text] }, { k: text }]);
        }
      } finally {
        await store.close();
      }
    });

    it('refreshes the planner statistics of its own tables and vacuums them', async () => {
      const store = await openIsolated(60_000);
      try {
        const project = await createProject(store, 'p');
        await store.ingest(
          project.id,
          Array.from({ length: 50 }, (_, i) =>
            valid({ id: `s${i}`, timestamp: T0 + i, method: 'm', user: { id: `u${i % 5}` } }),
          ),
          0,
          Date.now(),
        );
        const engine = (store as KyselyStore).engine;
        await engine.refreshStatistics();
        const analyzed = await sql<{ tablename: string }>`select distinct tablename from pg_stats
          where schemaname = current_schema() and tablename in ('events', 'sessions')`.execute(engine.db);
        expect(analyzed.rows).toHaveLength(2);
        // Vacuumed too (the sessions' extensions left dead row versions); the statistics views lag by up to a second.
        const vacuumed = () =>
          sql<{ relname: string }>`select relname from pg_stat_user_tables
            where schemaname = current_schema() and relname in ('events', 'sessions') and last_vacuum is not null`
            .execute(engine.db)
            .then((result) => result.rows.length);
        const deadline = Date.now() + 10_000;
        while ((await vacuumed()) < 2 && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 200));
        expect(await vacuumed()).toBe(2);
      } finally {
        await store.close();
      }
    });

    it('returns counts and timestamps as numbers', async () => {
      const store = await openIsolated(60_000);
      try {
        const project = await createProject(store, 'p');
        const t0 = T0;
        await store.ingest(
          project.id,
          [valid({ id: 'a', timestamp: t0, method: 'tools/call', target: 't', durationMs: 12.5, user: { id: 'u' } })],
          3,
          Date.now(),
        );
        const stats = await store.stats(project.id, { from: t0 - 1, to: t0 + 1 });
        expect([stats.events, stats.errors, stats.users, stats.dropped]).toEqual([1, 0, 1, 3]);
        expect(stats.p95Ms).toBeWithinSketchAccuracyOf(12.5);
        const [user] = (await store.listUsers(project.id, { limit: 10 })).items;
        expect([typeof user!.eventCount, typeof user!.sessionCount, user!.firstSeen]).toEqual(['number', 'number', t0]);
      } finally {
        await store.close();
      }
    });
  });
} else {
  reportMissingPostgres(probe, 'store contract: postgres');
}
