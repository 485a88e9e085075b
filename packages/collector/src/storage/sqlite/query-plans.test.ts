import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createProject } from '../../projects/keys.js';
import { KyselyStore } from '../kysely/kysely-store.js';
import { migrate } from '../open-store.js';
import { valid } from '../store.contract.js';
import { createSqliteEngine } from './sqlite-engine.js';
import { STATISTICS_TABLES } from '../engine.js';

/**
 * Every statement ingest and the queries run, explained: none may read a whole
 * table, or a whole project's rows of one, to find a few. The statements are
 * those the store really prepares (observed on better-sqlite3's statements),
 * so a query added later is held to the same rule; and the plans are checked
 * both before and after ANALYZE, since statistics can change a plan.
 */
/** The tables that grow: the ones ingest keeps statistics for. */
const LARGE: readonly string[] = STATISTICS_TABLES;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

const folder = mkdtempSync(join(tmpdir(), 'mcptrail-plans-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The statements run while `work` runs, by their SQL text. */
async function statementsOf(work: () => Promise<unknown>): Promise<Set<string>> {
  const statement = Object.getPrototypeOf(new Database(':memory:').prepare('select 1')) as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  const seen = new Set<string>();
  const originals = Object.fromEntries(['run', 'get', 'all', 'iterate'].map((name) => [name, statement[name]!]));
  for (const [name, original] of Object.entries(originals)) {
    statement[name] = function (this: { source: string }, ...args: unknown[]) {
      seen.add(this.source);
      return original.apply(this, args);
    };
  }
  try {
    await work();
  } finally {
    Object.assign(statement, originals);
  }
  return seen;
}

/**
 * Three days of traffic of every shape: identified and anonymous, stateful, fingerprinted, failing, and late events
 * that merge sessions.
 */
function traffic() {
  const events = [];
  for (let i = 0; i < 3_000; i++) {
    const t = NOW - 3 * DAY + i * 80_000;
    const user = i % 7 === 0 ? null : { id: `user-${i % 40}`, name: `User ${i % 40}` };
    events.push(
      valid({
        id: `e${i}`,
        timestamp: t,
        method: i % 10 === 0 ? 'initialize' : 'tools/call',
        target: i % 10 === 0 ? null : `tool_${i % 12}`,
        durationMs: (i % 97) + 1,
        user,
        client: { name: ['claude-ai', 'cursor-vscode', 'Zed'][i % 3]!, version: '1.0' },
        ...(i % 11 === 0 ? { sessionId: `tx-${i % 5}` } : {}),
        ...(i % 13 === 0 ? { clientFingerprint: `fp-${i % 4}` } : {}),
        isError: i % 9 === 0,
        ...(i % 9 === 0 ? { error: { type: 'ToolError', message: `failed ${i % 3}` } } : {}),
        arguments: { q: `query ${i}` },
      }),
    );
  }
  return events;
}

describe('query plans on SQLite', () => {
  it('seek an index for every statement of ingest and of every query, before and after ANALYZE', async () => {
    const path = join(folder, 'plans.db');
    const engine = createSqliteEngine(path, { writerThread: false, readWorkers: 0 });
    await migrate(engine);
    const store = new KyselyStore({ engine, sessionTimeoutMs: 30 * 60_000 });
    const { id: projectId } = await createProject(store, 'plans');
    const events = traffic();
    const statements = await statementsOf(async () => {
      // In time order, then late: the late half bridges and renames sessions (merges, aliases).
      const early = events.filter((_, i) => i % 4 !== 1);
      for (let i = 0; i < early.length; i += 250) await store.ingest(projectId, early.slice(i, i + 250), 0, NOW);
      await store.ingest(projectId, events.filter((_, i) => i % 4 === 1).toReversed(), 0, NOW);

      const range = { from: NOW - 2 * DAY - 0.5 * HOUR, to: NOW };
      const page = await store.listSessions(projectId, { limit: 20 });
      for (const filter of [
        { user: 'user-3' },
        { client: 'Zed' },
        { kind: 'stateful' as const },
        { hasError: true },
        { hasError: false },
        { from: NOW - 2 * DAY, to: NOW - DAY },
      ]) {
        const first = await store.listSessions(projectId, { limit: 20, ...filter });
        if (first.next)
          await store.listSessions(projectId, {
            limit: 20,
            ...filter,
            cursor: { endedAt: first.next[0], id: first.next[1] },
          });
      }
      const detail = await store.getSession(projectId, page.items[0]!.id, { limit: 5 });
      if (detail?.events.next)
        await store.getSession(projectId, page.items[0]!.id, {
          limit: 5,
          cursor: { ts: detail.events.next[0], id: detail.events.next[1] },
        });
      await store.getEvent(projectId, 'e10');
      const users = await store.listUsers(projectId, { limit: 10 });
      if (users.next)
        await store.listUsers(projectId, { limit: 10, cursor: { lastSeen: users.next[0], id: users.next[1] } });
      await store.getUser(projectId, 'user-3');
      await store.listTools(projectId, range);
      await store.getTool(projectId, 'tool_3', range);
      await store.failureClusters(projectId, { ...range, limit: 50 });
      await store.sessionShape(projectId, range);
      await store.clientMatrix(projectId, range);
      await store.stats(projectId, range);
      await store.stats(projectId, { from: NOW - 3 * HOUR - 1_000, to: NOW });
      // Pages of sessions (two pages: the cursor's statement too) and their events.
      await store.toolPaths(projectId, { range, depth: 4, breadth: 5, now: NOW });
      await store.whatIfSessions(projectId, {
        range: { from: NOW - 3 * DAY, to: NOW },
        timeoutsMs: [5 * 60_000, 60 * 60_000],
      });
    });
    await store.close();

    const db = new Database(path);
    try {
      const check = () =>
        [...statements]
          .filter((text) => /^\s*(select|update|delete|insert)/i.test(text))
          .flatMap((text) => {
            const parameters = Array<null>((text.match(/\?/g) ?? []).length).fill(null);
            const plan = (db.prepare(`explain query plan ${text}`).all(...parameters) as { detail: string }[]).map(
              (row) => row.detail,
            );
            return plan
              .filter((step) => readsTooMuch(step, text, plan))
              .map((step) => `${step}\n    in: ${text.replace(/\s+/g, ' ').slice(0, 240)}`);
          });
      expect(statements.size).toBeGreaterThan(30);
      expect(check()).toEqual([]);
      // Statistics of a database a thousand times this one, alike in shape: the planner's choices at scale, not for a
      // small file.
      db.exec('analyze');
      const scale = (stat: string) => stat.replace(/\d+/g, (n) => (n === '1' ? n : String(Number(n) * 1_000)));
      for (const row of db.prepare('select rowid, stat from sqlite_stat1').all() as { rowid: number; stat: string }[]) {
        db.prepare('update sqlite_stat1 set stat = ? where rowid = ?').run(scale(row.stat), row.rowid);
      }
      db.exec('analyze sqlite_schema');
      expect(check()).toEqual([]);
    } finally {
      db.close();
    }
  });
});

/**
 * A step that reads a large table whole, or a project's rows of one by the
 * project alone or with only an upper bound (everything before a time), is too
 * much, unless the statement stops after a page (`limit`) read in the index's
 * own order (no sort of everything first).
 */
function readsTooMuch(step: string, text: string, plan: string[]): boolean {
  const table = /^(?:SCAN|SEARCH) (\w+)/.exec(step)?.[1];
  if (!table || !LARGE.includes(table)) return false;
  if (step.startsWith('SCAN')) return true;
  const projectOnly = /\(project_id=\?(?: AND \w+<\?)?\)$/.test(step);
  if (!projectOnly) return false;
  const pagedInOrder = /\blimit\b/i.test(text) && !plan.some((other) => /TEMP B-TREE FOR ORDER BY/.test(other));
  return !pagedInOrder;
}
