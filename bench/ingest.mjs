// npm run bench:ingest — issue 2's ingest benchmark, figures from one run:
// 200k events over loopback HTTP into a fresh SQLite collector, against inserting
// the same rows straight into the same schema with prepared statements.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../packages/collector/dist/index.js';
import { batches, generateEvents } from './lib/generate-events.mjs';
import { sendAll, startCollector } from './lib/collector-process.mjs';

const COUNT = Number(process.env.BENCH_EVENTS ?? 200_000);
// Senders in flight at once, like several tracked server pods.
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const dir = mkdtempSync(join(tmpdir(), 'mcptrail-bench-'));
const events = generateEvents({ count: COUNT });

const collector = await startCollector({ db: join(dir, 'http.db') });
const project = await collector.createProject('bench');
const http = await sendAll([{ url: collector.url, writeKey: project.writeKey }], batches(events, 500), {
  concurrency: CONCURRENCY,
});
const peakRss = collector.peakRssMb();
await collector.stop();

// Direct: the rows the collector stored, inserted again into a fresh copy of the schema.
const source = new Database(join(dir, 'http.db'), { readonly: true });
const eventRows = source.prepare('select * from events order by rowid').all();
const sessionRows = source.prepare('select * from sessions').all();
source.close();
const directPath = join(dir, 'direct.db');
await (await openStore({ db: directPath, sessionTimeoutMs: 1_800_000 })).close();
const direct = new Database(directPath);
direct.pragma('journal_mode = WAL');
direct.pragma('synchronous = NORMAL');
const insertStatement = (table, row) => {
  const columns = Object.keys(row);
  return direct.prepare(
    `insert into ${table} (${columns.join(',')}) values (${columns.map((c) => `@${c}`).join(',')})`,
  );
};
const insertEvent = insertStatement('events', eventRows[0]);
const insertSession = insertStatement('sessions', sessionRows[0]);
const sessionsPerBatch = sessionRows.length / (eventRows.length / 500);
const directStart = performance.now();
for (let i = 0, s = 0; i < eventRows.length; i += 500) {
  const upto = Math.min(sessionRows.length, Math.round(((i + 500) / 500) * sessionsPerBatch));
  direct.transaction(() => {
    for (const row of eventRows.slice(i, i + 500)) insertEvent.run(row);
    for (; s < upto; s++) insertSession.run(sessionRows[s]);
  })();
}
const directMs = performance.now() - directStart;
direct.close();

const httpRate = http.accepted / (http.ms / 1000);
const directRate = eventRows.length / (directMs / 1000);
const table = {
  events: COUNT,
  'stored events': eventRows.length,
  sessions: sessionRows.length,
  'HTTP ingest events/s': Math.round(httpRate),
  'direct insert events/s': Math.round(directRate),
  'ratio HTTP/direct': Number((httpRate / directRate).toFixed(2)),
  'collector peak RSS MB': Math.round(peakRss),
};
console.table(table);
const verdict = [
  [httpRate >= 20_000, `≥ 20,000 events/s end to end`],
  [httpRate / directRate >= 0.5, `≥ 0.5 of the direct insert rate`],
  [peakRss <= 300, `peak RSS ≤ 300 MB`],
  [eventRows.length === COUNT, `every event stored once`],
];
for (const [met, target] of verdict) console.log(`${met ? 'met ' : 'MISSED'} ${target}`);
