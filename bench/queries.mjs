// npm run bench:queries — issue 12's benchmark, figures from one run. Builds a realistic project
// (bench/lib/realistic-events.mjs: 5,000 users, 6 clients, 40 tools, 30 days) through the real ingest
// path — 10 M events into SQLite, 2 M into PostgreSQL behind three collectors — then measures, warm:
//   - p50/p95 of every API call the dashboard makes (targets: 200 ms SQLite, 300 ms PostgreSQL;
//     insight endpoints, where the collector has them, 500 ms; what-if 2 s), and beside each aggregate
//     the same answer computed the way it was before rollups (a scan of events), so the ratio shows;
//   - the overview page fully drawn in Chromium (target 1.5 s);
//   - ingest at that size (≥ 20,000 events/s, within 20% of the rate into the empty database), and the
//     acknowledgements' p99 while the heaviest queries run in a loop (≤ 1 s);
//   - build time and bytes per event.
// Scale and reuse: BENCH_SQLITE_EVENTS, BENCH_PG_EVENTS (0 skips PostgreSQL), BENCH_SAMPLES (timed calls
// per endpoint, default 20), BENCH_SQLITE_DB (a path: built there if missing, reused if present),
// BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test; a fresh schema, dropped after).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { headlessChromium, signedInContext } from './lib/chromium.mjs';
import { percentile, sendAll, startCollector } from './lib/collector-process.mjs';
import { realisticBatches } from './lib/realistic-events.mjs';

const SQLITE_EVENTS = Number(process.env.BENCH_SQLITE_EVENTS ?? 10_000_000);
const PG_EVENTS = Number(process.env.BENCH_PG_EVENTS ?? 2_000_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Events sent at size, once alone (the rate) and once beside the heavy queries (the acknowledgements). */
const LOAD_EVENTS = Number(process.env.BENCH_LOAD_EVENTS ?? 200_000);
const DAY = 86_400_000;
/** What-if over 30 days reads every request of the range: the cap (--insights-max-events) above the built size. */
const INSIGHT_CAP = ['--insights-max-events', String(2 * Math.max(SQLITE_EVENTS, PG_EVENTS) + 2 * LOAD_EVENTS)];
const verdicts = [];
const verdict = (met, text) => verdicts.push(`${met ? 'met   ' : 'MISSED'} ${text}`);
const ms = (value) => Math.round(value * 10) / 10;

/** Sends `count` realistic events; the rate over the first and the last tenth of them (empty vs full database). */
async function build(targets, count) {
  const marks = [];
  let sent = 0;
  const result = await sendAll(targets, realisticBatches({ count }), {
    concurrency: 4 * targets.length,
    onAck(accepted) {
      sent += accepted;
      marks.push([sent, performance.now()]);
    },
  });
  const rateBetween = (fromShare, toShare) => {
    const a = marks.find(([n]) => n >= count * fromShare);
    const b = marks.find(([n]) => n >= count * toShare) ?? marks.at(-1);
    return ((b[0] - a[0]) / (b[1] - a[1])) * 1000;
  };
  return { ...result, rateEmpty: rateBetween(0, 0.1), rateFull: rateBetween(0.9, 1) };
}

/**
 * More events, recent ones (the last day), with ids of their own; `seed` makes each load different, and the run's own
 * prefix keeps a reused file (BENCH_SQLITE_DB) from taking them as duplicates of an earlier run's.
 */
const RUN = Date.now().toString(36);
const recentLoad = (seed) => realisticBatches({ count: LOAD_EVENTS, days: 1, seed, idPrefix: `L${RUN}-${seed}` });

/** The calls the dashboard's pages make, with the ids they would follow. */
async function dashboardCalls(get) {
  const now = Date.now();
  const range = (days, endDaysAgo = 0) => `from=${now - (days + endDaysAgo) * DAY}&to=${now - endDaysAgo * DAY}`;
  const tools = await get(`/v1/tools?${range(30)}`);
  const topTool = [...tools.tools].sort((a, b) => b.calls - a.calls)[0].name;
  const firstPage = await get('/v1/sessions');
  const userPage = await get('/v1/users');
  const busiest = (await get(`/v1/sessions?user=${encodeURIComponent(userPage.users[0].id)}&limit=100`)).sessions.sort(
    (a, b) => b.eventCount - a.eventCount,
  )[0];
  const detail = await get(`/v1/sessions/${busiest.id}`);
  const calls = [
    ['project', '/v1/project'],
    ...[1, 7, 30].flatMap((days) => [
      [`stats ${days} d`, `/v1/stats?${range(days)}`],
      [`tools ${days} d`, `/v1/tools?${range(days)}`],
    ]),
    ['tools, the 7 d before (trend)', `/v1/tools?${range(7, 7)}`],
    [`tool detail 7 d (${topTool})`, `/v1/tools/${encodeURIComponent(topTool)}?${range(7)}`],
    [`tool detail 30 d (${topTool})`, `/v1/tools/${encodeURIComponent(topTool)}?${range(30)}`],
    ['sessions', '/v1/sessions'],
    ['sessions, page 2', `/v1/sessions?cursor=${encodeURIComponent(firstPage.nextCursor)}`],
    ['sessions by client', '/v1/sessions?client=cursor-vscode'],
    ['sessions by kind', '/v1/sessions?kind=stateful'],
    ['sessions with errors', '/v1/sessions?hasError=true'],
    ['sessions of a user', `/v1/sessions?user=${encodeURIComponent(userPage.users[0].id)}`],
    ['sessions 15–29 days ago', `/v1/sessions?${range(14, 15)}`],
    [`session detail (${busiest.eventCount} events)`, `/v1/sessions/${busiest.id}`],
    ['event detail', `/v1/events/${encodeURIComponent(detail.events.at(-1).id)}`],
    ['users', '/v1/users'],
    ['users, 100', '/v1/users?limit=100'],
    ['user detail', `/v1/users/${encodeURIComponent(userPage.users[0].id)}`],
  ].map(([name, path]) => ({ name, path, target: 'api' }));
  // Insight endpoints, each where this collector has it (a 404 for the path means it has not).
  for (const [name, path, target] of [
    ['insights: failures 7 d', `/v1/insights/failures?${range(7)}`, 'insight'],
    ['insights: clients 7 d', `/v1/insights/clients?${range(7)}`, 'insight'],
    ['insights: session shape 7 d', `/v1/insights/session-shape?${range(7)}`, 'insight'],
    ['insights: paths 7 d', `/v1/insights/paths?${range(7)}`, 'insight'],
    ['insights: paths 30 d', `/v1/insights/paths?${range(30)}`, 'scale'],
    ['insights: what-if 30 d', `/v1/insights/what-if?${range(30)}`, 'what-if'],
  ]) {
    if (await get(path, { allowMissing: true })) calls.push({ name, path, target });
  }
  return { calls, topTool, now };
}

/**
 * Issue 12's targets for the API, issue 14's for insights (on their default 7-day range) and what-if (30 days);
 * `scale`: shown, no target.
 */
const TARGET_MS = {
  api: { sqlite: 200, postgres: 300 },
  insight: { sqlite: 500, postgres: 500 },
  'what-if': { sqlite: 2000, postgres: 2000 },
  scale: { sqlite: null, postgres: null },
};

/** A GET with the read key; `allowMissing` answers null for a route this collector lacks. */
function reader(url, readKey) {
  return async (path, { allowMissing = false } = {}) => {
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${readKey}` } });
    if (allowMissing && res.status === 404) return null;
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
}

/** Two warm-up calls, then `SAMPLES` timed calls one after another. */
async function timeCalls(get, calls) {
  const rows = [];
  for (const call of calls) {
    for (let i = 0; i < 2; i++) await get(call.path);
    const took = [];
    for (let i = 0; i < SAMPLES; i++) {
      const started = performance.now();
      await get(call.path);
      took.push(performance.now() - started);
    }
    rows.push({ ...call, p50: percentile(took, 0.5), p95: percentile(took, 0.95) });
  }
  return rows;
}

/**
 * The answers as they were computed before rollups, from the events (and sessions) of the range: a
 * pass per figure, percentiles by sorting every duration. Runs on the database directly, once each.
 */
const SCANS = {
  stats: [
    'select count(*) as events, sum(is_error) as errors, count(distinct user_id) as users from events ' +
      'where project_id = $1 and ts >= $2 and ts < $3',
    'select duration_ms from events where project_id = $1 and ts >= $2 and ts < $3 and duration_ms is not null ' +
      'order by duration_ms',
    'select (ts / 3600000) as bucket, count(*) as events, sum(is_error) as errors from events ' +
      'where project_id = $1 and ts >= $2 and ts < $3 group by 1',
    'select client_name, count(*) as sessions, sum(event_count) as events, count(distinct user_id) as users ' +
      'from sessions where project_id = $1 and ended_at >= $2 and started_at < $3 group by client_name',
  ],
  tools: [
    'select target, count(*) as calls, sum(is_error) as errors, max(ts) as last from events ' +
      "where project_id = $1 and method = 'tools/call' and ts >= $2 and ts < $3 group by target",
    "select target, duration_ms from events where project_id = $1 and method = 'tools/call' and ts >= $2 and ts < $3 " +
      'and duration_ms is not null order by target, duration_ms',
  ],
  users: [
    'select user_id, min(started_at) as first_seen, max(ended_at) as last_seen, count(*) as sessions, ' +
      'sum(event_count) as events, sum(error_count) as errors from sessions ' +
      'where project_id = $1 and user_id is not null group by user_id order by last_seen desc limit 50',
  ],
};

/** `run(sql, params)` runs one statement; answers the time of each scan that mirrors a timed call. */
async function scanBaselines(run, projectId, now) {
  const out = {};
  const time = async (statements, params) => {
    const started = performance.now();
    for (const statement of statements) await run(statement, params);
    return performance.now() - started;
  };
  for (const days of [1, 7, 30]) {
    const params = [projectId, now - days * DAY, now];
    out[`stats ${days} d`] = await time(SCANS.stats, params);
    out[`tools ${days} d`] = await time(SCANS.tools, params);
  }
  out.users = await time(SCANS.users, [projectId]);
  return out;
}

/** The overview page as a signed-in user opens it: navigation until its charts and client table are drawn. */
async function overviewLoad(url, readKey) {
  const browser = await headlessChromium();
  try {
    const context = await signedInContext(browser, { url, readKey }, { viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const took = [];
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      await page.goto(`${url}/`);
      for (const selector of [
        '[data-testid="timeline-chart"] .recharts-surface',
        '[data-testid="top-tools-chart"] .recharts-surface',
        '[data-testid="client-chart"] .recharts-surface',
        '[data-testid="clients-table"] tbody tr',
      ]) {
        await page.locator(selector).first().waitFor({ timeout: 60_000 });
      }
      // The first load fills the browser's cache, as a returning user's has.
      if (i > 0) took.push(performance.now() - started);
    }
    return { p50: percentile(took, 0.5), max: Math.max(...took) };
  } finally {
    await browser.close();
  }
}

/** The heaviest calls, two at a time as the dashboard sends them, until `stop()`. */
function heavyQueryLoop(get, calls) {
  const heavy = calls.filter((c) => /30 d|users$/.test(c.name));
  let running = true;
  let count = 0;
  const loop = async (offset) => {
    for (let i = offset; running; i++) {
      await get(heavy[i % heavy.length].path);
      count++;
    }
  };
  const loops = [loop(0), loop(1)];
  return async () => {
    running = false;
    await Promise.all(loops);
    return count;
  };
}

function printCalls(title, rows, engine, scans) {
  console.log(`\n${title}`);
  console.table(
    Object.fromEntries(
      rows.map((r) => {
        const scan = scans?.[r.name.replace(/ \(.*\)$/, '')] ?? scans?.[r.name];
        const row = { 'p50 ms': ms(r.p50), 'p95 ms': ms(r.p95), 'target ms': TARGET_MS[r.target][engine] ?? '—' };
        if (scan !== undefined)
          Object.assign(row, { 'scan ms': ms(scan), 'scan / p50': Number((scan / r.p50).toFixed(1)) });
        return [r.name, row];
      }),
    ),
  );
  for (const target of Object.keys(TARGET_MS)) {
    const group = rows.filter((r) => r.target === target);
    if (group.length === 0 || TARGET_MS[target][engine] === null) continue;
    const worst = group.reduce((a, b) => (b.p95 > a.p95 ? b : a));
    verdict(
      worst.p95 <= TARGET_MS[target][engine],
      `${engine}: every ${target} call p95 ≤ ${TARGET_MS[target][engine]} ms ` +
        `(worst: ${worst.name}, ${ms(worst.p95)} ms)`,
    );
  }
}

/** How long a build took and at what rate. */
const builtText = (built) =>
  `${built.accepted.toLocaleString()} events in ${(built.ms / 60_000).toFixed(1)} min ` +
  `(${Math.round(built.accepted / (built.ms / 1000))} events/s)`;

async function sqliteRun() {
  const path = process.env.BENCH_SQLITE_DB ?? join(mkdtempSync(join(tmpdir(), 'mcptrail-bench-queries-')), 'bench.db');
  const reuse = existsSync(path);
  const collector = await startCollector({ db: path, args: INSIGHT_CAP });
  try {
    let project;
    if (reuse) {
      // A reused file: its project's keys are made anew (rotation), so the run needs no saved secrets.
      const list = await (
        await fetch(`${collector.url}/v1/projects`, { headers: { authorization: `Bearer ${collector.adminToken}` } })
      ).json();
      const id = list.projects.find((p) => p.name === 'bench').id;
      const rotate = (kind) =>
        fetch(`${collector.url}/v1/projects/${id}/keys`, {
          method: 'POST',
          headers: { authorization: `Bearer ${collector.adminToken}` },
          body: JSON.stringify({ kind }),
        }).then((r) => r.json());
      project = { id, writeKey: (await rotate('write')).key, readKey: (await rotate('read')).key };
    } else {
      project = await collector.createProject('bench');
    }
    const target = [{ url: collector.url, writeKey: project.writeKey }];
    const stored = () => new Database(path, { readonly: true }).prepare('select count(*) as n from events').get().n;
    if (!reuse) {
      const built = await build(target, SQLITE_EVENTS);
      console.log(
        `SQLite: built ${builtText(built)}; ` +
          `first tenth ${Math.round(built.rateEmpty)}/s, last tenth ${Math.round(built.rateFull)}/s`,
      );
      verdict(
        built.rateFull >= built.rateEmpty * 0.8,
        `SQLite: ingest at ${built.accepted.toLocaleString()} events within 20% of the empty database's rate ` +
          `(${Math.round(built.rateFull)} vs ${Math.round(built.rateEmpty)} events/s)`,
      );
    }
    const events = stored();
    const bytes = statSync(path).size + (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
    console.log(
      `SQLite: ${events.toLocaleString()} events, ${(bytes / 2 ** 30).toFixed(2)} GiB on disk, ` +
        `${Math.round(bytes / events)} bytes per event (${path})`,
    );
    verdict(bytes / events <= 500, `SQLite: ≤ 500 bytes per event (${Math.round(bytes / events)})`);

    const get = reader(collector.url, project.readKey);
    const { calls, now } = await dashboardCalls(get);
    const rows = await timeCalls(get, calls);
    const db = new Database(path, { readonly: true });
    const scans = await scanBaselines(
      (statement, params) => db.prepare(statement.replace(/\$\d/g, '?')).all(...params),
      project.id,
      now,
    );
    db.close();
    printCalls(
      `SQLite, ${events.toLocaleString()} events: warm, ${SAMPLES} calls each ` +
        '(scan: the same answer from the events, as before rollups)',
      rows,
      'sqlite',
      scans,
    );

    const overview = await overviewLoad(collector.url, project.readKey);
    console.log(
      `\nOverview page in Chromium, fully drawn: p50 ${ms(overview.p50)} ms, ` +
        `worst ${ms(overview.max)} ms of 5 warm loads`,
    );
    verdict(overview.p50 <= 1500, `SQLite: overview page drawn ≤ 1.5 s (p50 ${ms(overview.p50)} ms)`);

    const alone = await sendAll(target, recentLoad(11), { concurrency: 4 });
    const stop = heavyQueryLoop(get, calls);
    const beside = await sendAll(target, recentLoad(12), { concurrency: 4 });
    const queriesRun = await stop();
    const rateAlone = alone.accepted / (alone.ms / 1000);
    console.log(
      `\nIngest at size: ${Math.round(rateAlone)} events/s alone (ack p99 ${ms(percentile(alone.ackMs, 0.99))} ms); ` +
        `beside ${queriesRun} heavy queries: ${Math.round(beside.accepted / (beside.ms / 1000))} events/s, ` +
        `ack p99 ${ms(percentile(beside.ackMs, 0.99))} ms, max ${ms(Math.max(...beside.ackMs))} ms`,
    );
    verdict(rateAlone >= 20_000, `SQLite: ingest ≥ 20,000 events/s at size (${Math.round(rateAlone)})`);
    verdict(
      percentile(beside.ackMs, 0.99) <= 1000,
      `SQLite: ack p99 ≤ 1 s while the heaviest queries loop (${ms(percentile(beside.ackMs, 0.99))} ms)`,
    );
    console.log(`collector peak RSS ${Math.round(collector.peakRssMb())} MB`);
  } finally {
    await collector.stop();
  }
}

async function postgresRun() {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('schema', schema);
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  const collectors = [await startCollector({ db: url.toString(), args: INSIGHT_CAP })];
  try {
    const more = [1, 2].map(() => startCollector({ db: url.toString(), args: INSIGHT_CAP }));
    collectors.push(...(await Promise.all(more)));
    const project = await collectors[0].createProject('bench');
    const built = await build(
      collectors.map((c) => ({ url: c.url, writeKey: project.writeKey })),
      PG_EVENTS,
    );
    console.log(`\nPostgreSQL, 3 collectors: built ${builtText(built)}`);
    await admin.query(`set search_path to ${schema}`);
    await admin.query('analyze');
    const { rows: sizes } = await admin.query(
      "select coalesce(sum(pg_total_relation_size(format('%I.%I', schemaname, tablename)::regclass)), 0)::bigint " +
        'as bytes from pg_tables where schemaname = $1',
      [schema],
    );
    const bytes = Number(sizes[0].bytes);
    console.log(`PostgreSQL: ${Math.round(bytes / built.accepted)} bytes per event (tables and indexes)`);
    verdict(bytes / built.accepted <= 500, `PostgreSQL: ≤ 500 bytes per event (${Math.round(bytes / built.accepted)})`);
    const get = reader(collectors[0].url, project.readKey);
    const { calls, now } = await dashboardCalls(get);
    const rows = await timeCalls(get, calls);
    const scans = await scanBaselines((statement, params) => admin.query(statement, params), project.id, now);
    printCalls(
      `PostgreSQL, ${built.accepted.toLocaleString()} events: warm, ${SAMPLES} calls each`,
      rows,
      'postgres',
      scans,
    );
  } finally {
    await Promise.all(collectors.map((c) => c.stop()));
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

if (SQLITE_EVENTS > 0) await sqliteRun();
if (PG_EVENTS > 0) await postgresRun();
console.log(`\n${verdicts.join('\n')}`);
