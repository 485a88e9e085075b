// Queries never hold up ingest or each other (issue 12). On SQLite they run on read threads:
// ingest keeps acknowledging while one runs; a query past --query-timeout answers 503
// query_timeout; one whose client disconnected is stopped. On PostgreSQL the query
// connections carry statement_timeout, and a disconnected client's query is cancelled in the
// database. The slow query comes from a preload (support/slow-reads.cjs): whatever the query
// code becomes, `?user=slow-read-probe` spends seconds inside the database.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ApiError, IngestResult, StatsResponse } from '@mcptrail/protocol';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type CollectorProcess } from '../support/collector.js';
import { createTestDatabase, probePostgres, reportMissingPostgres } from '../support/postgres.js';
import { waitFor } from '../support/wait.js';

const SLOW_READS = fileURLToPath(new URL('../support/slow-reads.cjs', import.meta.url));
const SLOW_QUERY = '/v1/sessions?user=slow-read-probe';
const NOW = Date.now();

/** A request and how long its answer took (an aborted one ends with its error). */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

const read = (collector: CollectorProcess, path: string, signal?: AbortSignal) =>
  collector.fetch(path, { headers: { authorization: `Bearer ${collector.readKey}` }, signal });

const slowReadsStarted = (collector: CollectorProcess) => collector.output().split('slow read started').length - 1;

const batch = (n: number) =>
  Array.from({ length: 50 }, (_, i) => ({
    id: `b${n}-${i}`,
    timestamp: NOW - 60_000 + i,
    method: 'tools/call',
    target: 'search',
    user: { id: `user-${i % 7}` },
  }));

/** A query's answer must be 503 query_timeout, saying what happened. */
async function expectQueryTimeout(res: Response): Promise<void> {
  expect(res.status).toBe(503);
  const body = (await res.json()) as ApiError;
  expect(body.error.code).toBe('query_timeout');
  expect(body.error.message).toContain('query timeout (1 s)');
}

describe('queries beside ingest (SQLite, one read thread)', () => {
  let collector: CollectorProcess;
  /** How long the slow query takes when left alone. */
  let naturalMs = 0;
  beforeAll(async () => {
    collector = await startCollector({
      nodeArgs: ['--require', SLOW_READS],
      args: ['--read-workers', '1', '--query-timeout', '10m'],
      env: { MCPTRAIL_TEST_SLOW_READ_STEPS: '20000000' },
    });
  });
  // Killed: a process exits only once its abandoned statements have ended.
  afterAll(() => collector?.kill());

  it('acknowledges ingest promptly while a slow query runs, and answers the query', async () => {
    const slow = timed(() => read(collector, SLOW_QUERY));
    await waitFor(() => slowReadsStarted(collector) === 1, 'the slow query to start');
    let answered = false;
    void slow.finally(() => (answered = true));
    const acks: number[] = [];
    for (let n = 0; !answered; n++) {
      const { value, ms } = await timed(() => collector.post(batch(n)));
      expect(value).toEqual({ accepted: 50, duplicates: 0, rejected: [] } satisfies IngestResult);
      acks.push(ms);
    }
    const { value: res, ms } = await slow;
    expect(res.status).toBe(200);
    naturalMs = ms;
    expect(naturalMs, 'the slow query must take a while to show anything').toBeGreaterThan(2_000);
    expect(acks.length).toBeGreaterThanOrEqual(5);
    // On the main thread, one acknowledgement waited for the whole query (docs/storage.md).
    expect(Math.max(...acks)).toBeLessThan(naturalMs / 3);
    const stats = await collector.get<StatsResponse>(`/v1/stats?from=${NOW - 3_600_000}`);
    expect(stats.events).toBe(acks.length * 50);
  });

  // Thread priorities are per thread only on Linux, and only there does /proc show them.
  it.runIf(process.platform === 'linux')('runs queries at a lower CPU priority than ingest (per thread)', async () => {
    const pid = collector.child.pid!;
    const niceOf = (thread: string) => {
      const stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8');
      // Field 19 of stat: the fields after the command name start at field 3.
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    await read(collector, '/v1/sessions');
    const threads = readdirSync(`/proc/${pid}/task`).map((thread) => ({ thread, nice: niceOf(thread) }));
    // One read thread (--read-workers 1) at nice 10; the main thread, the writer and Node's own as the process.
    const processNice = niceOf(String(pid));
    expect(threads.filter((t) => t.nice !== processNice)).toEqual([{ thread: expect.any(String), nice: 10 }]);
  });

  it('stops the query of a client that disconnected: the next query does not wait for it', async () => {
    const client = new AbortController();
    const abandoned = read(collector, SLOW_QUERY, client.signal).catch((error: Error) => error);
    await waitFor(() => slowReadsStarted(collector) === 2, 'the slow query to start');
    const abortedAt = performance.now();
    client.abort();
    expect(await abandoned).toMatchObject({ name: 'AbortError' });
    const next = await read(collector, '/v1/sessions');
    expect(next.status).toBe(200);
    // With its one read thread still held, the next query would wait for the abandoned one to end.
    expect(performance.now() - abortedAt).toBeLessThan(naturalMs / 2);
  });

  it('answers 503 query_timeout past --query-timeout, and the next query at once', async () => {
    const limited = await startCollector({
      nodeArgs: ['--require', SLOW_READS],
      args: ['--read-workers', '1', '--query-timeout', '1s'],
      env: { MCPTRAIL_TEST_SLOW_READ_STEPS: '20000000' },
    });
    try {
      expect((await read(limited, '/v1/sessions')).status).toBe(200);
      const { value: res, ms } = await timed(() => read(limited, SLOW_QUERY));
      await expectQueryTimeout(res);
      expect(ms).toBeGreaterThanOrEqual(1_000);
      expect(ms).toBeLessThan(naturalMs);
      const next = await timed(() => read(limited, '/v1/sessions'));
      expect(next.value.status).toBe(200);
      expect(next.ms).toBeLessThan(naturalMs / 2);
    } finally {
      await limited.kill();
    }
  });
});

const probe = await probePostgres();
const database = probe.ok ? await createTestDatabase('mct_reads_test') : null;
afterAll(() => database?.drop());

if (probe.ok) {
  describe('queries on PostgreSQL', () => {
    it('answers 503 query_timeout past --query-timeout, and cancels the query of a client that left', async () => {
      const schema = database!.schema('mct_reads');
      // 3 connections: 2 write, 1 serves queries (so a query left running would hold up the next).
      const collector = await startCollector({
        db: schema.url,
        poolSize: 3,
        nodeArgs: ['--require', SLOW_READS],
        args: ['--query-timeout', '1s'],
        env: { MCPTRAIL_TEST_SLOW_READ_SECONDS: '60' },
      });
      const admin = new pg.Client({ connectionString: database!.url });
      await admin.connect();
      const sleeping = async () =>
        (
          await admin.query<{ n: number }>(
            'select count(*)::int as n from pg_stat_activity ' +
              "where datname = current_database() and query = 'select pg_sleep($1)' and state = 'active'",
          )
        ).rows[0]!.n;
      try {
        const { value: res, ms } = await timed(() => read(collector, SLOW_QUERY));
        await expectQueryTimeout(res);
        expect(ms).toBeGreaterThanOrEqual(1_000);
        expect(ms).toBeLessThan(10_000);
        expect(await sleeping()).toBe(0);

        // Past the timeout's reach: without it, the query would run for a minute.
        const unlimited = await startCollector({
          db: schema.url,
          project: collector.project,
          poolSize: 3,
          nodeArgs: ['--require', SLOW_READS],
          args: ['--query-timeout', '10m'],
          env: { MCPTRAIL_TEST_SLOW_READ_SECONDS: '60' },
        });
        try {
          const client = new AbortController();
          const abandoned = read(unlimited, SLOW_QUERY, client.signal).catch((error: Error) => error);
          await waitFor(async () => (await sleeping()) === 1, 'the slow query to run in the database');
          const abortedAt = performance.now();
          client.abort();
          expect(await abandoned).toMatchObject({ name: 'AbortError' });
          await waitFor(async () => (await sleeping()) === 0, 'the database to stop the query', 10_000);
          expect((await read(unlimited, '/v1/sessions')).status).toBe(200);
          expect(performance.now() - abortedAt).toBeLessThan(10_000);
        } finally {
          await unlimited.stop();
        }
      } finally {
        await admin.end();
        await collector.stop();
        await schema.drop();
      }
    });
  });
} else {
  reportMissingPostgres(probe, 'queries on PostgreSQL');
}
