// npm run bench:scale — issue 5's benchmark, figures from one run: the load of
// bench:ingest (200k events, batches of 500, 2,000 users × 3 clients, 20% anonymous,
// 5% stateful) over loopback HTTP into one SQLite collector, one PostgreSQL
// collector, and three PostgreSQL collectors sharing one database.
// BENCH_POSTGRES_URL picks the server (default postgres://postgres@127.0.0.1:5432/test);
// each run uses a fresh schema there and drops it afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { batches, generateEvents } from './lib/generate-events.mjs';
import { sendAll, startCollector } from './lib/collector-process.mjs';

const COUNT = Number(process.env.BENCH_EVENTS ?? 200_000);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Requests in flight per collector instance. */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 4);
const events = generateEvents({ count: COUNT });
const batchList = batches(events, 500);

/** Starts `instances` collectors on `db`, one project shared by all, and sends the whole load. */
async function run(db, instances) {
  const first = await startCollector({ db });
  const rest = await Promise.all(Array.from({ length: instances - 1 }, () => startCollector({ db })));
  const project = await first.createProject('bench');
  const targets = [first, ...rest].map((c) => ({ url: c.url, writeKey: project.writeKey }));
  try {
    return await sendAll(targets, batchList, { concurrency: IN_FLIGHT * instances });
  } finally {
    await Promise.all([first, ...rest].map((c) => c.stop()));
  }
}

/** What is stored: events, distinct ids, and events counted by sessions (all must equal COUNT). */
function sqliteCounts(path) {
  const db = new Database(path, { readonly: true });
  try {
    return {
      ...db.prepare('select count(*) as events, count(distinct id) as ids from events').get(),
      inSessions: db.prepare('select sum(event_count) as n from sessions').get().n,
    };
  } finally {
    db.close();
  }
}

async function withSchema(work) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('schema', schema);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    const result = await work(url.toString());
    const counts = (
      await admin.query(`select count(*)::int as events, count(distinct id)::int as ids from ${schema}.events`)
    ).rows[0];
    const inSessions = (await admin.query(`select sum(event_count)::int as n from ${schema}.sessions`)).rows[0].n;
    return { ...result, counts: { ...counts, inSessions } };
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

const sqlitePath = join(mkdtempSync(join(tmpdir(), 'mcptrail-bench-scale-')), 'bench.db');
const results = [];
const sqlite = await run(sqlitePath, 1);
results.push({ setup: 'SQLite, 1 instance', ...sqlite, counts: sqliteCounts(sqlitePath) });
for (const instances of [1, 3]) {
  results.push({
    setup: `PostgreSQL, ${instances} instance${instances > 1 ? 's' : ''}`,
    ...(await withSchema((url) => run(url, instances))),
  });
}

const rate = (r) => r.accepted / (r.ms / 1000);
const sqliteRate = rate(results[0]);
console.table(
  Object.fromEntries(
    results.map((r) => [
      r.setup,
      {
        'events/s': Math.round(rate(r)),
        'ratio to SQLite': Number((rate(r) / sqliteRate).toFixed(2)),
        accepted: r.accepted,
        duplicates: r.duplicates,
        stored: r.counts.events,
        'distinct ids': r.counts.ids,
        'in sessions': r.counts.inSessions,
      },
    ]),
  ),
);
const threeRate = rate(results[2]);
const verdict = [
  [threeRate >= 10_000, `≥ 10,000 events/s with 3 PostgreSQL instances (${Math.round(threeRate)})`],
  [
    results.every(
      (r) =>
        r.accepted === COUNT && r.counts.events === COUNT && r.counts.ids === COUNT && r.counts.inSessions === COUNT,
    ),
    'no lost or doubled event in any setup',
  ],
];
for (const [met, target] of verdict) console.log(`${met ? 'met   ' : 'MISSED'} ${target}`);
console.log(`3 instances / 1 instance on PostgreSQL: ${(threeRate / rate(results[1])).toFixed(2)}×`);
