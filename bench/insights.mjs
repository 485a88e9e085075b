// npm run bench:insights — issue 14's figures for the insights that read sessions' events:
// 1M realistic events (bench/lib/realistic-events.mjs: 30 days ending now) sent through the real
// ingest path (HTTP batches of 500) into one SQLite collector, then the p95 of
// GET /v1/insights/paths (the default 7 days) and of GET /v1/insights/what-if over 30 days
// (the default timeouts 5m,15m,30m,60m); paths over 30 days for scale. BENCH_EVENTS sets the count; BENCH_DB reuses a
// database this script filled before (its events are not sent again).
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from './lib/collector-process.mjs';
import { realisticBatches } from './lib/realistic-events.mjs';

const COUNT = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const IN_FLIGHT = 4;
const DAY = 86_400_000;

const reuse = process.env.BENCH_DB !== undefined && existsSync(process.env.BENCH_DB);
const db = process.env.BENCH_DB ?? join(mkdtempSync(join(tmpdir(), 'mcptrail-bench-insights-')), 'bench.db');
const collector = await startCollector({ db });
const auth = (key) => ({ authorization: `Bearer ${key}` });

/** The bench project, created once per database; its keys are kept beside the file. */
async function benchProject() {
  const keysFile = `${db}.keys.json`;
  const { readFileSync, writeFileSync } = await import('node:fs');
  if (reuse && existsSync(keysFile)) return JSON.parse(readFileSync(keysFile, 'utf8'));
  const project = await collector.createProject('bench-insights');
  writeFileSync(keysFile, JSON.stringify(project));
  return project;
}

/** Sends the generator's batches with a few requests in flight, never holding more than those in memory. */
async function sendStream(batches, writeKey) {
  const started = performance.now();
  let accepted = 0;
  const worker = async () => {
    for (let next = batches.next(); !next.done; next = batches.next()) {
      const res = await fetch(`${collector.url}/v1/events`, {
        method: 'POST',
        headers: { ...auth(writeKey), 'content-type': 'application/json' },
        body: JSON.stringify({ events: next.value }),
      });
      if (res.status !== 200) throw new Error(`ingest: ${res.status} ${await res.text()}`);
      accepted += (await res.json()).accepted;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { accepted, seconds: (performance.now() - started) / 1000 };
}

/** Nearest-rank percentiles of `runs` timed requests (after one unmeasured warm-up). */
async function measure(path, readKey, runs) {
  const get = async () => {
    const started = performance.now();
    const res = await fetch(`${collector.url}${path}`, { headers: auth(readKey) });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - started, body };
  };
  const { body } = await get();
  const times = [];
  for (let i = 0; i < runs; i++) times.push((await get()).ms);
  times.sort((a, b) => a - b);
  const rank = (q) => times[Math.max(0, Math.ceil(q * times.length) - 1)];
  return { p50: rank(0.5), p95: rank(0.95), max: times.at(-1), body };
}

try {
  const project = await benchProject();
  const endMs = Date.now();
  if (!reuse) {
    const sent = await sendStream(realisticBatches({ count: COUNT, days: 30, endMs }), project.writeKey);
    console.log(
      `ingested ${sent.accepted} events in ${sent.seconds.toFixed(0)} s ` +
        `(${Math.round(sent.accepted / sent.seconds)} events/s) into ${db}`,
    );
  }
  const now = Date.now();
  const paths = await measure('/v1/insights/paths', project.readKey, RUNS);
  // For scale, not a target: a month of paths reads four times the sessions.
  const monthOfPaths = await measure(
    `/v1/insights/paths?from=${now - 30 * DAY}&to=${now}`,
    project.readKey,
    Math.max(3, Math.round(RUNS / 3)),
  );
  const whatIf = await measure(
    `/v1/insights/what-if?from=${now - 30 * DAY}&to=${now}`,
    project.readKey,
    Math.max(3, Math.round(RUNS / 3)),
  );
  const row = (r) => ({ 'p50 ms': Math.round(r.p50), 'p95 ms': Math.round(r.p95), 'max ms': Math.round(r.max) });
  console.table({
    [`paths, 7 days (${paths.body.sessions} sessions, ${paths.body.sessionsWithTools} with tools)`]: row(paths),
    [`paths, 30 days (${monthOfPaths.body.sessions} sessions)`]: row(monthOfPaths),
    [`what-if, 30 days (${whatIf.body.events} events, 4 timeouts)`]: row(whatIf),
  });
  console.log(`${paths.p95 <= 500 ? 'met   ' : 'MISSED'} paths p95 ≤ 500 ms (${Math.round(paths.p95)})`);
  console.log(`${whatIf.p95 <= 2000 ? 'met   ' : 'MISSED'} what-if over 30 days p95 ≤ 2 s (${Math.round(whatIf.p95)})`);
  console.log(`peak RSS of the collector: ${Math.round(collector.peakRssMb())} MB`);
} finally {
  await collector.stop();
}
