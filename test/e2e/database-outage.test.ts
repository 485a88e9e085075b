// Collectors ride out a PostgreSQL outage (issue 10): a TCP proxy between them and the
// real server resets every connection and refuses new ones, then lets them through again.
import type { SessionListResponse, StatsResponse } from '@mcptrail/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type CollectorProcess } from '../support/collector.js';
import { createTestDatabase, probePostgres, reportMissingPostgres, TEST_POSTGRES_URL } from '../support/postgres.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait.js';

const probe = await probePostgres();
const database = probe.ok ? await createTestDatabase('mct_outage_test') : null;
afterAll(() => database?.drop());

const NOW = Date.now();
const event = (id: string, user: string) => ({
  id,
  timestamp: NOW - 60_000,
  method: 'tools/call',
  target: 'search',
  user: { id: user },
  client: { name: 'Cursor' },
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one POST got: a status, or a network error. */
interface Answer {
  instance: number;
  status: number | 'network error';
  retryAfter: string | null;
  code: string | undefined;
}

async function post(collector: CollectorProcess, events: unknown[]): Promise<Omit<Answer, 'instance'>> {
  try {
    const res = await collector.fetch('/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.writeKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    const body = (await res.json()) as { error?: { code: string } };
    return { status: res.status, retryAfter: res.headers.get('retry-after'), code: body.error?.code };
  } catch {
    return { status: 'network error', retryAfter: null, code: undefined };
  }
}

/** Log lines (pino JSON) of a collector whose message starts with `prefix`. */
const logLines = (collector: CollectorProcess, prefix: string) =>
  collector
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && (JSON.parse(line) as { msg?: string }).msg?.startsWith(prefix));

/** A refusal must say "come back later": 503, a Retry-After of a few seconds, a code naming the cause. */
function expectRetryLater(answer: Omit<Answer, 'instance'>): void {
  expect(answer).toMatchObject({ status: 503, code: 'database_unavailable' });
  expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(answer.retryAfter)).toBeLessThanOrEqual(30);
}

if (probe.ok) {
  describe('PostgreSQL outage', () => {
    let proxy: TcpProxy;
    const cleanup: (() => Promise<unknown>)[] = [];
    beforeAll(async () => {
      const target = new URL(TEST_POSTGRES_URL);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      cleanup.push(() => proxy.close());
    });
    afterAll(async () => {
      for (const step of cleanup.reverse()) await step().catch(() => {});
    });

    it('cut mid-ingest under 3 instances: no crash, 503 + Retry-After while down, each event stored once', async () => {
      const schema = database!.schema('mct_outage');
      cleanup.push(() => schema.drop());
      const db = proxy.via(schema.url);
      const first = await startCollector({ db, poolSize: 4, logLevel: 'info' });
      const instances = [
        first,
        ...(await Promise.all(
          [0, 1].map(() => startCollector({ db, poolSize: 4, logLevel: 'info', project: first.project })),
        )),
      ];
      for (const instance of instances) cleanup.push(() => instance.stop());

      const WRITERS = 6;
      const BATCHES = 30;
      const SIZE = 50;
      const answers: Answer[] = [];
      let acknowledged = 0;
      // Each writer sends its batches in order, each until it is acknowledged, to the next instance on every attempt.
      const writers = Array.from({ length: WRITERS }, async (_, w) => {
        for (let b = 0; b < BATCHES; b++) {
          const events = Array.from({ length: SIZE }, (_, i) => event(`w${w}-b${b}-${i}`, `user-${w}`));
          for (let attempt = 0; ; attempt++) {
            const instance = (w + b + attempt) % instances.length;
            const answer = await post(instances[instance]!, events);
            answers.push({ instance, ...answer });
            if (answer.status === 200) break;
            await sleep(100);
          }
          acknowledged++;
        }
      });

      const alive = () => {
        const dead = instances.find((instance) => instance.child.exitCode !== null);
        if (dead) throw new Error(`an instance exited with ${dead.child.exitCode}:\n${dead.output()}`);
      };
      await waitFor(() => acknowledged >= 20, 'writers to get 20 batches acknowledged');
      proxy.cut();
      try {
        const cutAt = answers.length;
        // Down for at least 3 s, and until every instance has refused a batch.
        await sleep(3000);
        await waitFor(() => {
          alive();
          return instances.every((_, i) => answers.slice(cutAt).some((a) => a.instance === i && a.status === 503));
        }, 'every instance to refuse a batch');
      } finally {
        proxy.restore();
      }
      await Promise.all(writers);
      alive();

      const refused = answers.filter((a) => a.status !== 200);
      expect(refused.length).toBeGreaterThan(0);
      for (const answer of refused) if (answer.status !== 'network error') expectRetryLater(answer);

      const stats = await first.get<StatsResponse>(`/v1/stats?from=${NOW - 3_600_000}`);
      expect(stats.events).toBe(WRITERS * BATCHES * SIZE);
      const sessions = await first.get<SessionListResponse>('/v1/sessions?limit=100');
      expect(sessions.sessions.map((s) => s.eventCount)).toEqual(Array.from({ length: WRITERS }, () => BATCHES * SIZE));
      // The cause once per outage and instance, and its end once: never once per request.
      for (const instance of instances) {
        const down = logLines(instance, 'database unavailable');
        expect(down, instance.output()).toHaveLength(1);
        expect(logLines(instance, 'database available again'), instance.output()).toHaveLength(1);
      }
    });

    it('cut while idle: events and queries 503, /readyz fails, /healthz stays 200; all recover alone', async () => {
      const schema = database!.schema('mct_idle');
      cleanup.push(() => schema.drop());
      const collector = await startCollector({ db: proxy.via(schema.url), poolSize: 2, logLevel: 'info' });
      cleanup.push(() => collector.stop());
      const query = () =>
        collector.fetch('/v1/sessions', { headers: { authorization: `Bearer ${collector.readKey}` } });
      expect((await post(collector, [event('before', 'u')])).status).toBe(200);
      expect((await collector.fetch('/readyz')).status).toBe(200);

      proxy.cut();
      try {
        expectRetryLater(await post(collector, [event('during', 'u')]));
        const refusedQuery = await query();
        expect(refusedQuery.status).toBe(503);
        expect(refusedQuery.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(((await refusedQuery.json()) as { error: { code: string } }).error.code).toBe('database_unavailable');
        await waitFor(async () => (await collector.fetch('/readyz')).status === 503, '/readyz to fail');
        expect((await collector.fetch('/healthz')).status).toBe(200);
      } finally {
        proxy.restore();
      }

      await waitFor(async () => (await collector.fetch('/readyz')).status === 200, '/readyz to pass again');
      expect((await post(collector, [event('during', 'u')])).status).toBe(200);
      expect((await query()).status).toBe(200);
      expect((await collector.get<StatsResponse>(`/v1/stats?from=${NOW - 3_600_000}`)).events).toBe(2);
      expect(collector.child.exitCode).toBeNull();
      expect(logLines(collector, 'database unavailable')).toHaveLength(1);
      expect(logLines(collector, 'database available again')).toHaveLength(1);
    });
  });
} else {
  reportMissingPostgres(probe, 'PostgreSQL outage');
}
