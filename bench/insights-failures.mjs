// npm run bench:insights:failures — the failure, client-matrix and session-shape insight endpoints on a large project
// (issue 14): 1M realistic events
// (bench/lib/realistic-events.mjs: 30 days, 5,000 users, six clients, every class of failure) sent
// through the real ingest path (HTTP into a SQLite collector), then each endpoint asked 20 times for
// the default 7 days and for 30 days; p50 and p95 per endpoint, against the 500 ms target.
// BENCH_EVENTS sets the count; BENCH_DB=<path> reuses a file a previous run filled (its project's
// keys are then made anew with the admin API), skipping the ingest.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from './lib/collector-process.mjs';
import { realisticBatches } from './lib/realistic-events.mjs';

const COUNT = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = 20;
const IN_FLIGHT = 4;
const TARGET_MS = 500;
const DAY = 86_400_000;
const reuse = process.env.BENCH_DB && existsSync(process.env.BENCH_DB);
const db = process.env.BENCH_DB ?? join(mkdtempSync(join(tmpdir(), 'mcptrail-bench-insights-')), 'bench.db');

const collector = await startCollector({ db });
const now = Date.now();
let project;
try {
  if (reuse) {
    const { projects } = await (
      await fetch(`${collector.url}/v1/projects`, { headers: { authorization: `Bearer ${collector.adminToken}` } })
    ).json();
    const rotate = (kind) =>
      fetch(`${collector.url}/v1/projects/${projects[0].id}/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${collector.adminToken}` },
        body: JSON.stringify({ kind }),
      }).then((r) => r.json());
    project = { readKey: (await rotate('read')).key };
    console.log(`reusing ${db}`);
  } else {
    project = await collector.createProject('bench');
    const started = performance.now();
    const batches = realisticBatches({ count: COUNT, endMs: now });
    let sent = 0;
    // A stream of batches, IN_FLIGHT requests at a time: 1M events never sit in memory at once.
    const worker = async () => {
      for (let next = batches.next(); !next.done; next = batches.next()) {
        const res = await fetch(`${collector.url}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${project.writeKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events: next.value }),
        });
        if (res.status !== 200) throw new Error(`ingest: ${res.status} ${await res.text()}`);
        sent += (await res.json()).accepted;
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    console.log(
      `ingested ${sent.toLocaleString()} events in ${((performance.now() - started) / 1000).toFixed(1)} s into ${db}`,
    );
  }

  const get = async (path) => {
    const started = performance.now();
    const res = await fetch(`${collector.url}${path}`, { headers: { authorization: `Bearer ${project.readKey}` } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    const body = await res.json();
    return { ms: performance.now() - started, body };
  };
  const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const rows = {};
  let met = true;
  for (const [label, days] of [
    ['7 days', 7],
    ['30 days', 30],
  ]) {
    const range = `from=${now - days * DAY}&to=${now}`;
    for (const path of ['/v1/insights/failures', '/v1/insights/clients', '/v1/insights/session-shape', '/v1/stats']) {
      await get(`${path}?${range}`); // a first read warms the page cache
      const times = [];
      let body;
      for (let i = 0; i < RUNS; i++) ({ ms: times[i], body } = await get(`${path}?${range}`));
      times.sort((a, b) => a - b);
      const p95 = quantile(times, 0.95);
      if (path.startsWith('/v1/insights')) met &&= p95 <= TARGET_MS;
      const size =
        path === '/v1/insights/failures'
          ? `${body.failures} failures, ${body.clusterCount} clusters`
          : path === '/v1/insights/clients'
            ? `${body.rows.length} client versions, ${body.cells.filter((c) => c.flagged).length} flagged cells`
            : path === '/v1/insights/session-shape'
              ? `${body.all.sessions} sessions + ${body.anonymousSessions} anonymous`
              : `${body.events} events (reference)`;
      rows[`${path} ${label}`] = { 'p50 ms': Math.round(quantile(times, 0.5)), 'p95 ms': Math.round(p95), read: size };
    }
  }
  console.table(rows);
  console.log(`${met ? 'met   ' : 'MISSED'} p95 ≤ ${TARGET_MS} ms for every insight endpoint, 7 and 30 days`);
} finally {
  await collector.stop();
}
