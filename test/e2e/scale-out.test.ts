// Several collector processes on one PostgreSQL database must come out exactly as
// one collector would (issue 5): same sessions, same ids, every event once.
import { createHash } from 'node:crypto';
import { openStore } from '@mcptrail/collector';
import type {
  IngestResult,
  ProjectCreated,
  SessionDetailResponse,
  SessionListResponse,
  SessionView,
} from '@mcptrail/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { random } from '../../bench/lib/generate-events.mjs';
import { startCollector, tempDbPath, type CollectorProcess } from '../support/collector.js';
import { createTestDatabase, probePostgres, reportMissingPostgres } from '../support/postgres.js';

const probe = await probePostgres();
const database = probe.ok ? await createTestDatabase('mct_scale_test') : null;
afterAll(() => database?.drop());
const freshSchema = (prefix: string) => database!.schema(prefix);

type WireEvent = Record<string, unknown> & { id: string; timestamp: number };

const CLIENTS = ['Claude Desktop', 'Cursor', 'Visual Studio Code'];
const T0 = Date.UTC(2026, 10, 20, 8, 0, 0);

/**
 * Events of 80 users × 4 client variants (one is "no client") over eight hours,
 * in random time order: with a 10-minute timeout most keys have a few sessions,
 * and events that arrive late bridge them. 3% anonymous, 5% stateful, 3% in
 * conversations (tokens); half the users speak a 2025 protocol to a stateless
 * server: fingerprinted, their client named on a fifth of their events only
 * (`initialize`), some of the rest guessed from the User-Agent.
 */
function generate(count: number, rand: () => number, idPrefix = 'ev'): WireEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const roll = rand();
    const event: WireEvent = {
      id: `${idPrefix}-${i}`,
      timestamp: T0 + Math.floor(rand() * 8 * 3600_000),
      method: 'tools/call',
      target: `tool-${Math.floor(rand() * 5)}`,
      durationMs: Math.floor(rand() * 300),
      isError: rand() < 0.05,
    };
    const userIndex = Math.floor(rand() * 80);
    const user = `user-${userIndex}`;
    const client = Math.floor(rand() * 4);
    if (roll < 0.05) event.sessionId = `tx-${Math.floor(rand() * 50)}`;
    else if (roll < 0.08) event.conversationId = `conversation-${Math.floor(rand() * 30)}`;
    if (roll >= 0.11 || (roll >= 0.05 && roll < 0.08 && rand() < 0.5)) {
      event.user = { id: user, name: `User ${user}` };
      const named = client < 3 ? { name: CLIENTS[client], version: `1.${Math.floor(rand() * 3)}` } : undefined;
      if (userIndex % 2 === 1) {
        event.clientFingerprint = `fp-${client}-${userIndex % 3}`;
        const seen = rand();
        if (named && seen < 0.2) event.client = named;
        else if (seen < 0.4) event.client = { name: 'Cursor', version: '1.7', source: 'userAgent' };
      } else if (named) event.client = named;
    }
    return event;
  });
}

/**
 * A SQLite collector holding the same project (id and keys) as `project`, so that
 * the session ids it derives are comparable.
 */
async function referenceCollector(project: ProjectCreated): Promise<CollectorProcess> {
  const db = tempDbPath();
  const store = await openStore({ db, sessionTimeoutMs: 10 * 60_000 });
  const hash = (key: string) => createHash('sha256').update(key).digest('hex');
  await store.createProject({
    id: project.id,
    name: project.name,
    writeKeyHash: hash(project.writeKey),
    readKeyHash: hash(project.readKey),
    createdAt: Date.now(),
  });
  await store.close();
  return startCollector({ db, sessionTimeout: '10m', project });
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `work` over `items` with `concurrency` in flight. */
async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!, i);
    }),
  );
  return results;
}

/** Every session, read through the HTTP API. */
async function listAll(collector: CollectorProcess): Promise<SessionView[]> {
  const sessions: SessionView[] = [];
  let cursor: string | null = null;
  do {
    const page: SessionListResponse = await collector.get(`/v1/sessions?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    sessions.push(...page.sessions);
    cursor = page.nextCursor;
  } while (cursor);
  return sessions;
}

/** Every session and the session of every event, read through the HTTP API. */
async function readAll(
  collector: CollectorProcess,
): Promise<{ sessions: SessionView[]; assignment: Map<string, string> }> {
  const sessions = await listAll(collector);
  const assignment = new Map<string, string>();
  await inParallel(sessions, 12, async (session) => {
    let eventCursor: string | null = null;
    do {
      const detail: SessionDetailResponse = await collector.get(
        `/v1/sessions/${session.id}?limit=5000${eventCursor ? `&cursor=${eventCursor}` : ''}`,
      );
      expect(detail.session.id).toBe(session.id);
      for (const event of detail.events) {
        expect(assignment.has(event.id), `event ${event.id} in two sessions`).toBe(false);
        assignment.set(event.id, event.sessionId);
      }
      eventCursor = detail.nextCursor;
    } while (eventCursor);
  });
  return { sessions, assignment };
}

const sortById = (sessions: SessionView[]) => [...sessions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

if (probe.ok) {
  describe('scale-out on PostgreSQL', () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    afterAll(async () => {
      for (const step of cleanup.reverse()) await step().catch(() => {});
    });

    it('3 instances fed 50k shuffled events with duplicates make the sessions of one SQLite collector', async () => {
      const seed = Number(process.env.SCALE_OUT_SEED ?? Date.now() % 1_000_000);
      const rand = random(seed);
      const events = generate(Number(process.env.SCALE_OUT_EVENTS ?? 50_000), rand);
      // 2% are sent twice, the copy to a random (mostly different) instance.
      const duplicates = events.filter(() => rand() < 0.02);

      const schema = freshSchema('mct_scale');
      cleanup.push(() => schema.drop());
      const first = await startCollector({ db: schema.url, sessionTimeout: '10m', poolSize: 4 });
      cleanup.push(() => first.stop());
      const others = await Promise.all(
        [0, 1].map(() =>
          startCollector({ db: schema.url, sessionTimeout: '10m', poolSize: 4, project: first.project }),
        ),
      );
      for (const other of others) cleanup.push(() => other.stop());
      const instances = [first, ...others];
      const reference = await referenceCollector(first.project);
      cleanup.push(() => reference.stop());

      // Reference: one SQLite collector, events in timestamp order.
      const ordered = [...events].sort((a, b) => a.timestamp - b.timestamp || (a.id < b.id ? -1 : 1));
      for (const batch of batchesOf(ordered, 500)) await reference.post(batch);

      // Scale-out: shuffled, split at random sizes, each batch to a random instance, concurrently.
      const arrivals = shuffle([...events, ...duplicates], rand);
      const batches: WireEvent[][] = [];
      for (let i = 0; i < arrivals.length; ) {
        const size = 1 + Math.floor(rand() * 500);
        batches.push(arrivals.slice(i, i + size));
        i += size;
      }
      const targets = batches.map(() => instances[Math.floor(rand() * instances.length)]!);
      const results = await inParallel(batches, 6, (batch, i) => targets[i]!.post(batch));
      const accepted = results.reduce((n, r) => n + r.accepted, 0);
      const duplicateCount = results.reduce((n, r) => n + r.duplicates, 0);
      expect({ seed, accepted, duplicateCount }).toEqual({
        seed,
        accepted: events.length,
        duplicateCount: duplicates.length,
      });

      const expected = await readAll(reference);
      const actual = await readAll(others[1]!);
      expect(actual.assignment.size).toBe(events.length);
      // Same event → session assignment, same session ids…
      const differing = [...expected.assignment].filter(([id, session]) => actual.assignment.get(id) !== session);
      const replay = `replay with SCALE_OUT_SEED=${seed}`;
      expect(
        differing.slice(0, 5).map(([id, session]) => ({ id, expected: session, actual: actual.assignment.get(id) })),
        replay,
      ).toEqual([]);
      expect(differing.length, replay).toBe(0);
      // …and the same sessions, field by field.
      expect(sortById(actual.sessions), replay).toEqual(sortById(expected.sessions));
      // Every kind of session took part, and some keys have several sessions.
      const kinds = new Set(actual.sessions.map((s) => s.kind));
      expect([...kinds].sort()).toEqual(['anonymous', 'conversation', 'grouped', 'stateful']);
      expect(new Set(actual.sessions.map((s) => s.basis))).toContain('user-fingerprint-window');
      const grouped = actual.sessions.filter((s) => s.kind === 'grouped');
      expect(new Set(grouped.map((s) => `${s.userId}/${s.clientName}`)).size).toBeLessThan(grouped.length);
    }, 240_000);

    it('an instance killed with -9 mid-batch loses nothing it acknowledged; retries double nothing', async () => {
      const rand = random(7);
      const events = generate(6_000, rand, 'kill');
      const batches = batchesOf(events, 200);
      const schema = freshSchema('mct_kill');
      cleanup.push(() => schema.drop());
      const victim = await startCollector({ db: schema.url, sessionTimeout: '10m', poolSize: 4 });
      cleanup.push(() => victim.kill());
      const survivor = await startCollector({ db: schema.url, sessionTimeout: '10m', project: victim.project });
      cleanup.push(() => survivor.stop());

      // Batches stream into the victim, 4 in flight; it is killed as the 8th acknowledgement arrives.
      const acknowledged = new Set<number>();
      let killing: Promise<void> | null = null;
      await inParallel(batches, 4, async (batch, i) => {
        if (killing) return;
        try {
          await victim.post(batch);
          acknowledged.add(i);
          if (acknowledged.size === 8) killing = victim.kill();
        } catch {
          // Refused or cut off by the kill: not acknowledged, so the sender retries it below.
        }
      });
      await killing;
      expect(victim.child.signalCode).toBe('SIGKILL');
      expect(acknowledged.size).toBeGreaterThanOrEqual(8);
      expect(acknowledged.size).toBeLessThan(batches.length);

      // Everything acknowledged is stored: sent again, all of it is a duplicate.
      const ackedEvents = [...acknowledged].flatMap((i) => batches[i]!);
      const again = await inParallel(batchesOf(ackedEvents, 500), 2, (batch) => survivor.post(batch));
      expect(again.reduce((n, r) => n + r.accepted, 0)).toBe(0);
      expect(again.reduce((n, r) => n + r.duplicates, 0)).toBe(ackedEvents.length);

      // The sender retries every unacknowledged batch through the survivor.
      const retried: IngestResult[] = await inParallel(
        batches.filter((_, i) => !acknowledged.has(i)),
        2,
        (batch) => survivor.post(batch),
      );
      const retriedAccepted = retried.reduce((n, r) => n + r.accepted, 0);
      const retriedDuplicates = retried.reduce((n, r) => n + r.duplicates, 0);
      expect(retriedAccepted + retriedDuplicates).toBe(events.length - ackedEvents.length);

      // Exactly one copy of every event: all are known (a resend is all duplicates), none twice,
      // and the sessions count each once. (Reading every session back, as the test above does,
      // costs thousands of requests here: too slow on a busy machine for what it would add.)
      const resent = await inParallel(batchesOf(events, 500), 2, (batch) => survivor.post(batch));
      expect(resent.reduce((n, r) => n + r.duplicates, 0)).toBe(events.length);
      const stats = await survivor.get<{ events: number }>(`/v1/stats?from=${T0 - 1}&to=${T0 + 9 * 3600_000}`);
      expect(stats.events).toBe(events.length);
      expect((await listAll(survivor)).reduce((n, s) => n + s.eventCount, 0)).toBe(events.length);
    });
  });
} else {
  reportMissingPostgres(probe, 'scale-out on PostgreSQL');
}
