import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createProject } from '../../projects/keys.js';
import { Availability, StorageUnavailableError } from '../availability.js';
import { migrate, openStore } from '../open-store.js';
import { runReadContract } from '../reads.contract.js';
import { runStoreContract, valid } from '../store.contract.js';
import { createSqliteEngine } from './sqlite-engine.js';
import { StatisticsSchedule } from '../engine.js';
import type { KyselyStore } from '../kysely/kysely-store.js';

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'mcptrail-sqlite-')), 'test.db');

runStoreContract({
  name: 'sqlite',
  open: ({ sessionTimeoutMs }) => openStore({ db: freshPath(), sessionTimeoutMs }),
});

runReadContract({
  name: 'sqlite',
  open: async ({ queryTimeoutMs }) => createSqliteEngine(freshPath(), { readWorkers: 1, queryTimeoutMs }),
});

const T0 = Date.UTC(2026, 0, 1);
const events = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    valid({ id: `${prefix}${i}`, timestamp: T0 + i, method: 'm', user: { id: 'u' } }),
  );

describe('sqlite engine', () => {
  it('takes the write lock as a transaction begins: another connection waits instead of failing later', async () => {
    const path = freshPath();
    const engine = createSqliteEngine(path, { writerThread: false });
    const other = new Database(path);
    other.pragma('busy_timeout = 0');
    try {
      await engine.writeTransaction(async () => {
        expect(() => other.exec('create table probe (x)')).toThrow(/locked/);
      });
      other.exec('create table probe (x)');
    } finally {
      other.close();
      await engine.close();
    }
  });
});

describe('sqlite statistics', () => {
  it('are due again after every 100,000 stored events, and a refresh analyzes the tables', async () => {
    const schedule = new StatisticsSchedule();
    const group = (size: number) => new Map([['p', new Set(Array.from({ length: size }, (_, i) => String(i)))]]);
    expect([
      schedule.stored(group(60_000)),
      schedule.stored(group(39_999)),
      schedule.stored(group(1)),
      schedule.stored(group(5)),
    ]).toEqual([false, false, true, false]);

    const path = freshPath();
    const store = await openStore({ db: path, sessionTimeoutMs: 60_000 });
    const project = await createProject(store, 'p');
    await store.ingest(project.id, events('s', 50), 0, Date.now());
    await (store as KyselyStore).engine.refreshStatistics();
    await store.close();
    const db = new Database(path, { readonly: true });
    const analyzed = db.prepare("select distinct tbl from sqlite_stat1 where tbl in ('events', 'sessions')").all();
    db.close();
    expect(analyzed).toHaveLength(2);
  });
});

describe('sqlite engine on a full disk', () => {
  it('fails SQLITE_FULL as "unavailable", not with the rollback SQLite did, and writes again with room', async () => {
    const engine = createSqliteEngine(freshPath(), { writerThread: false });
    try {
      await sql`create table ballast (x blob)`.execute(engine.db);
      const { page_count: pages } = (await sql<{ page_count: number }>`pragma page_count`.execute(engine.db)).rows[0]!;
      await sql.raw(`pragma max_page_count = ${pages}`).execute(engine.db);
      const fill = () =>
        engine.writeTransaction(async (trx) => {
          for (let i = 0; i < 8; i++) await sql`insert into ballast values (${Buffer.alloc(16_000)})`.execute(trx);
        });
      const failed = fill();
      await expect(failed).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(failed).rejects.toThrow('SQLITE_FULL: database or disk is full');
      await sql.raw(`pragma max_page_count = ${pages + 100}`).execute(engine.db);
      await fill();
      expect((await sql<{ n: number }>`select count(*) as n from ballast`.execute(engine.db)).rows[0]!.n).toBe(8);
    } finally {
      await engine.close();
    }
  });
});

describe('sqlite writer thread', () => {
  it('answers every ingest taken before close, stores what it acknowledged, and refuses ingests after', async () => {
    const path = freshPath();
    const store = await openStore({ db: path, sessionTimeoutMs: 60_000 });
    const { id: projectId } = await createProject(store, 'p');
    const pending = Array.from({ length: 5 }, (_, i) => store.ingest(projectId, events(`b${i}-`, 200), 0, Date.now()));
    await store.close();
    const outcomes = await Promise.all(pending);
    expect(outcomes.map((o) => o.accepted)).toEqual([200, 200, 200, 200, 200]);
    await expect(store.ingest(projectId, events('late-', 1), 0, Date.now())).rejects.toThrow('closed');

    const reopened = await openStore({ db: path, sessionTimeoutMs: 60_000 });
    try {
      expect((await reopened.stats(projectId, { from: T0 - 1, to: T0 + 1000 })).events).toBe(1000);
    } finally {
      await reopened.close();
    }
  });

  it("rejects with the driver's error when the database fails, and keeps writing once it can", async () => {
    const path = freshPath();
    const store = await openStore({ db: path, sessionTimeoutMs: 60_000 });
    try {
      const { id: projectId } = await createProject(store, 'p');
      const other = new Database(path);
      other.exec('alter table events rename to events_away');
      const failed = store.ingest(projectId, events('a', 3), 0, Date.now());
      await expect(failed).rejects.toBeInstanceOf(Error);
      await expect(failed).rejects.toThrow(/no such table: events/);
      other.exec('alter table events_away rename to events');
      other.close();
      expect(await store.ingest(projectId, events('a', 3), 0, Date.now())).toEqual({ accepted: 3, duplicates: 0 });
    } finally {
      await store.close();
    }
  });
});

describe('sqlite read pool', () => {
  it('answers rows as the writing connection does: BLOBs as Buffer, integers and bigints as numbers', async () => {
    const engine = createSqliteEngine(freshPath());
    try {
      const query = sql<Record<string, unknown>>`select ${Buffer.from([0, 1, 255])} as blob, ${10n ** 12n} as big,
        ${2 ** 40} as wide, 1.5 as real, null as absent, ${'text'} as text`;
      const [read] = (await query.execute(engine.readDb)).rows;
      expect(read).toEqual((await query.execute(engine.db)).rows[0]);
      expect(Buffer.isBuffer(read!.blob)).toBe(true);
      expect(read).toMatchObject({ big: 1e12, wide: 2 ** 40, real: 1.5, absent: null, text: 'text' });
    } finally {
      await engine.close();
    }
  });

  it("keeps SQLite's error code, refuses writes plainly, and reports a file it cannot open unavailable", async () => {
    const path = freshPath();
    const engine = createSqliteEngine(path);
    try {
      await expect(sql`select nonsense from nowhere`.execute(engine.readDb)).rejects.toMatchObject({
        code: 'SQLITE_ERROR',
        message: 'no such table: nowhere',
      });
      const write = sql`create table probe (x)`.execute(engine.readDb);
      await expect(write).rejects.toThrow(/the read pool does not write/);
      await expect(write).rejects.not.toBeInstanceOf(StorageUnavailableError);
    } finally {
      await engine.close();
    }
    const availability = new Availability();
    const changes: unknown[] = [];
    availability.onChange((change) => changes.push(change));
    const gone = createSqliteEngine(path, { availability });
    rmSync(path);
    try {
      const read = sql`select 1`.execute(gone.readDb);
      await expect(read).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(read).rejects.toThrow('SQLITE_CANTOPEN: unable to open database file');
      expect(changes).toMatchObject([{ available: false }]);
    } finally {
      await gone.close();
    }
  });

  it('holds no read snapshot between queries: a checkpoint empties the WAL right after them', async () => {
    const engine = createSqliteEngine(freshPath());
    const project = (id: string) => ({
      id,
      name: id,
      write_key_hash: `w${id}`,
      read_key_hash: `r${id}`,
      created_at: 0,
      dropped_events: 0,
    });
    try {
      await migrate(engine);
      await engine.db.insertInto('projects').values(project('p')).execute();
      await Promise.all(Array.from({ length: 4 }, () => engine.readDb.selectFrom('projects').selectAll().execute()));
      await engine.db.insertInto('projects').values(project('q')).execute();
      const [checkpoint] = (
        await sql<{ busy: number; log: number }>`pragma wal_checkpoint(truncate)`.execute(engine.db)
      ).rows;
      expect(checkpoint).toMatchObject({ busy: 0, log: 0 });
    } finally {
      await engine.close();
    }
  });
});
