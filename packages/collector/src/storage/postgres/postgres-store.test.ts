import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, probePostgres, reportMissingPostgres } from '../../../../../test/support/postgres.js';
import { openStore } from '../open-store.js';
import { runStoreContract, valid } from '../store.contract.js';
import { createProject } from '../../projects/keys.js';
import type { Store } from '../store.js';

const probe = await probePostgres();
const database = probe.ok ? await createTestDatabase('mct_store_test') : null;
afterAll(() => database?.drop());
const freshSchema = (prefix: string) => database!.schema(prefix);

/** A migrated store in a schema of its own; closing it drops the schema. */
async function openIsolated(sessionTimeoutMs: number, schema = freshSchema('mct_store'), poolSize?: number): Promise<Store> {
  const store = await openStore({ db: schema.url, sessionTimeoutMs, ...(poolSize ? { poolSize } : {}) });
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await schema.drop();
  };
  return store;
}

if (probe.ok) {
  runStoreContract({ name: 'postgres', open: ({ sessionTimeoutMs }) => openIsolated(sessionTimeoutMs) });

  describe('postgres engine', () => {
    it('migrates once when several instances start on one empty schema together', async () => {
      const schema = freshSchema('mct_migrate');
      const stores = await Promise.all(Array.from({ length: 5 }, () => openStore({ db: schema.url, sessionTimeoutMs: 60_000 })));
      try {
        const project = await createProject(stores[0]!, 'p');
        await stores[1]!.ingest(project.id, [valid({ id: 'a', timestamp: Date.UTC(2026, 0, 1), method: 'm' })], 0, Date.now());
        expect((await stores[4]!.getEvent(project.id, 'a'))?.method).toBe('m');
      } finally {
        await Promise.all(stores.map((store) => store.close()));
        await schema.drop();
      }
    });

    it('serializes concurrent writers of one key: one session, not two', async () => {
      const schema = freshSchema('mct_race');
      // Separate stores = separate pools, like separate instances.
      const stores = await Promise.all(Array.from({ length: 4 }, () => openStore({ db: schema.url, sessionTimeoutMs: 60_000 })));
      try {
        const project = await createProject(stores[0]!, 'p');
        const t0 = Date.UTC(2026, 0, 1);
        for (let round = 0; round < 5; round++) {
          // Each writer sends one event of the same user and client, all within the timeout of each other,
          // and a duplicate of a shared anonymous event.
          await Promise.all(
            stores.map((store, i) =>
              store.ingest(
                project.id,
                [
                  valid({ id: `r${round}-${i}`, timestamp: t0 + round * 3_600_000 + i * 1_000, method: 'm', user: { id: 'u' }, client: { name: 'c' } }),
                  valid({ id: `anon-${round}`, timestamp: t0, method: 'm' }),
                ],
                0,
                Date.now(),
              ),
            ),
          );
        }
        const list = await stores[0]!.listSessions(project.id, { limit: 100 });
        expect(list.sessions.filter((s) => s.kind === 'grouped').map((s) => s.eventCount)).toEqual([4, 4, 4, 4, 4]);
        expect(list.sessions.filter((s) => s.kind === 'anonymous').map((s) => s.eventCount)).toEqual([1, 1, 1, 1, 1]);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
        await schema.drop();
      }
    });

    it('stores one version of an id sent concurrently with different session keys', async () => {
      const schema = freshSchema('mct_dup');
      const stores = await Promise.all(Array.from({ length: 3 }, () => openStore({ db: schema.url, sessionTimeoutMs: 60_000 })));
      try {
        const project = await createProject(stores[0]!, 'p');
        const t0 = Date.UTC(2026, 0, 1);
        const outcomes = await Promise.all(
          stores.map((store, i) =>
            store.ingest(project.id, [valid({ id: 'same', timestamp: t0, method: `v${i}`, user: { id: `user${i}` } })], 0, Date.now()),
          ),
        );
        expect(outcomes.map((o) => o.accepted).sort()).toEqual([0, 0, 1]);
        const list = await stores[0]!.listSessions(project.id, { limit: 100 });
        expect(list.sessions.map((s) => s.eventCount)).toEqual([1]);
      } finally {
        await Promise.all(stores.map((store) => store.close()));
        await schema.drop();
      }
    });

    it('returns counts and timestamps as numbers', async () => {
      const store = await openIsolated(60_000);
      try {
        const project = await createProject(store, 'p');
        const t0 = Date.UTC(2026, 0, 1);
        await store.ingest(project.id, [valid({ id: 'a', timestamp: t0, method: 'tools/call', target: 't', durationMs: 12.5, user: { id: 'u' } })], 3, Date.now());
        const stats = await store.stats(project.id, { from: t0 - 1, to: t0 + 1 });
        expect([stats.events, stats.errors, stats.users, stats.dropped, stats.p95Ms]).toEqual([1, 0, 1, 3, 12.5]);
        const [user] = (await store.listUsers(project.id, { limit: 10 })).users;
        expect([typeof user!.eventCount, typeof user!.sessionCount, user!.firstSeen]).toEqual(['number', 'number', new Date(t0).toISOString()]);
      } finally {
        await store.close();
      }
    });
  });
} else {
  reportMissingPostgres(probe, 'store contract: postgres');
}
