// Keys and projects without losing them (issue 14): list projects (never keys), replace a
// lost or leaked key from the CLI or the admin API, and the old key stops working at once,
// on every instance that shares the database.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectCreated, ProjectKeyCreated, ProjectListResponse } from '@mcptrail/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCollector, tempDbPath, type CollectorProcess } from '../support/collector.js';
import { createTestDatabase, probePostgres, reportMissingPostgres } from '../support/postgres.js';

const NOW = Date.now();
const event = (id: string) => ({ id, timestamp: NOW - 1000, method: 'tools/call', target: 'echo', user: { id: 'u1' } });

/** Runs a CLI command that must succeed and parses its `--json` answer. */
function cliJson<T>(args: string[]): T {
  const result = runCli([...args, '--json']);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** The status a collector answers `key` with on the endpoint of its kind: 200 when it works. */
async function keyStatus(collector: CollectorProcess, key: string): Promise<number> {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const res = key.startsWith('mtw_')
    ? await collector.fetch('/v1/events', {
        method: 'POST',
        headers,
        body: JSON.stringify({ events: [event(`probe-${Math.random()}`)] }),
      })
    : await collector.fetch('/v1/project', { headers });
  await res.body?.cancel();
  return res.status;
}

describe('projects and keys', () => {
  it('lists projects without keys; rotate-key replaces a key, which the running collector refuses now', async () => {
    const collector = await startCollector();
    try {
      const db = collector.db;
      const listed = runCli(['projects', 'list', '--db', db]);
      expect(listed.status).toBe(0);
      expect(listed.stdout).toMatch(
        new RegExp(`^NAME +ID +CREATED\\ntest +${collector.project.id} +\\d{4}-\\d\\d-\\d\\dT`),
      );
      const json = cliJson<ProjectListResponse>(['projects', 'list', '--db', db]);
      expect(json.projects).toEqual([{ id: collector.project.id, name: 'test', createdAt: expect.any(String) }]);
      for (const output of [listed.stdout, JSON.stringify(json)]) expect(output).not.toMatch(/mt[wr]_/);

      expect(await keyStatus(collector, collector.writeKey)).toBe(200);
      const write = cliJson<ProjectKeyCreated>(['projects', 'rotate-key', 'test', '--write', '--db', db]);
      expect(write).toEqual({
        id: collector.project.id,
        name: 'test',
        kind: 'write',
        key: expect.stringMatching(/^mtw_/),
      });
      expect(await keyStatus(collector, collector.writeKey)).toBe(401);
      expect(await keyStatus(collector, write.key)).toBe(200);
      // The other kind is untouched.
      expect(await keyStatus(collector, collector.readKey)).toBe(200);

      const read = runCli(['projects', 'rotate-key', collector.project.id, '--read', '--db', db]);
      expect(read.status).toBe(0);
      const readKey = /^ {2}(mtr_\S+)$/m.exec(read.stdout)?.[1];
      expect(read.stdout).toContain('shown only now; the old one no longer works');
      expect(await keyStatus(collector, collector.readKey)).toBe(401);
      expect(await keyStatus(collector, readKey!)).toBe(200);
      expect(await keyStatus(collector, write.key)).toBe(200);
    } finally {
      await collector.stop();
    }
  });

  it('refuses an unknown or shared name, no --write/--read or no database with exit 2; takes an id', () => {
    const db = tempDbPath();
    const first = cliJson<ProjectCreated>(['projects', 'create', 'twin', '--db', db]);
    const second = cliJson<ProjectCreated>(['projects', 'create', 'twin', '--db', db]);
    expect(cliJson<ProjectListResponse>(['projects', 'list', '--db', db]).projects.map((p) => [p.name, p.id])).toEqual([
      ['twin', first.id],
      ['twin', second.id],
    ]);

    const shared = runCli(['projects', 'rotate-key', 'twin', '--read', '--db', db]);
    expect(shared.status).toBe(2);
    expect(shared.stderr).toBe(
      `mcptrail: 2 projects are named "twin" (${first.id}, ${second.id}); give the id instead\n`,
    );
    expect(cliJson<ProjectKeyCreated>(['projects', 'rotate-key', second.id, '--read', '--db', db])).toMatchObject({
      id: second.id,
      kind: 'read',
    });

    const unknown = runCli(['projects', 'rotate-key', 'nope', '--write', '--db', db]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^mcptrail: no project is named or has the id "nope"/);
    const noKind = runCli(['projects', 'rotate-key', first.id, '--db', db]);
    expect(noKind.status).toBe(2);
    expect(noKind.stderr).toBe('mcptrail: rotate-key needs one of --write or --read\n');
    for (const result of [shared, unknown, noKind]) expect(result.stdout).toBe('');

    const missing = join(mkdtempSync(join(tmpdir(), 'mcptrail-projects-')), 'typo.db');
    for (const args of [['list'], ['rotate-key', 'twin', '--read']]) {
      const result = runCli(['projects', ...args, '--db', missing]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`no database at ${missing}`);
    }
    expect(existsSync(missing)).toBe(false);
  });

  it('lists projects and makes new keys over the admin API', async () => {
    const collector = await startCollector();
    try {
      const admin = (path: string, init: RequestInit = {}, token = collector.adminToken) =>
        collector.fetch(path, {
          ...init,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        });
      const other = await collector.createProject('other');

      const list = await admin('/v1/projects');
      expect(list.status).toBe(200);
      const text = await list.text();
      expect(text).not.toMatch(/mt[wr]_/);
      expect((JSON.parse(text) as ProjectListResponse).projects.map((p) => p.id)).toEqual([
        collector.project.id,
        other.id,
      ]);
      expect((await admin('/v1/projects', {}, 'wrong-token-wrong-token')).status).toBe(401);

      const rotate = (id: string, body: unknown) =>
        admin(`/v1/projects/${id}/keys`, { method: 'POST', body: JSON.stringify(body) });
      const res = await rotate(other.id, { kind: 'read' });
      expect(res.status).toBe(201);
      const created = (await res.json()) as ProjectKeyCreated;
      expect(created).toEqual({ id: other.id, name: 'other', kind: 'read', key: expect.stringMatching(/^mtr_/) });
      expect(await keyStatus(collector, other.readKey)).toBe(401);
      expect(await keyStatus(collector, created.key)).toBe(200);
      // Another project's keys are untouched.
      expect(await keyStatus(collector, collector.readKey)).toBe(200);

      expect((await rotate('prj_unknown', { kind: 'read' })).status).toBe(404);
      const bad = await rotate(other.id, { kind: 'admin' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_body');
      expect(
        (
          await admin(
            `/v1/projects/${other.id}/keys`,
            { method: 'POST', body: '{"kind":"write"}' },
            'wrong-token-wrong-token',
          )
        ).status,
      ).toBe(401);
    } finally {
      await collector.stop();
    }
  });

  it('refuses the admin API when the collector has no admin token', async () => {
    const collector = await startCollector({ env: { MCPTRAIL_ADMIN_TOKEN: '' }, createProject: false });
    try {
      const created = collector.output();
      const id = /Created project "default" \((prj_\S+)\)/.exec(created)?.[1];
      for (const [path, method] of [
        ['/v1/projects', 'GET'],
        [`/v1/projects/${id}/keys`, 'POST'],
      ] as const) {
        const res = await collector.fetch(path, {
          method,
          headers: { authorization: 'Bearer anything-at-all-long' },
          body: method === 'POST' ? '{"kind":"read"}' : null,
        });
        expect(res.status, path).toBe(403);
      }
    } finally {
      await collector.stop();
    }
  });

  it('on a restart says how to get keys, never a key; following it gives a working read key', async () => {
    const db = tempDbPath();
    const noToken = { db, env: { MCPTRAIL_ADMIN_TOKEN: '' }, createProject: false };
    const first = await startCollector(noToken);
    expect(first.output()).toMatch(
      /write key \(SDK, MCPTRAIL_KEY\): mtw_\S+\n {2}read key \(dashboard, API\): +mtr_\S+/,
    );
    await first.stop();

    const again = await startCollector(noToken);
    try {
      expect(again.output()).toContain(
        '1 project in this database; keys are shown only when created: ' +
          '`mcptrail projects rotate-key NAME --read` (or --write) makes a new one',
      );
      expect(again.output()).not.toMatch(/mt[wr]_/);
      const rotated = cliJson<ProjectKeyCreated>(['projects', 'rotate-key', 'default', '--read', '--db', db]);
      expect(await keyStatus(again, rotated.key)).toBe(200);
    } finally {
      await again.stop();
    }
  });
});

const probe = await probePostgres();
const database = probe.ok ? await createTestDatabase('mct_keys_test') : null;
afterAll(() => database?.drop());

if (!probe.ok) {
  reportMissingPostgres(probe, 'key rotation on PostgreSQL');
} else {
  describe('key rotation on PostgreSQL', () => {
    it('a replaced key is refused at once by every instance, from the CLI or the admin API', async () => {
      const schema = database!.schema('keys');
      const a = await startCollector({ db: schema.url });
      const b = await startCollector({ db: schema.url, project: a.project });
      try {
        for (const instance of [a, b]) expect(await keyStatus(instance, a.writeKey)).toBe(200);
        const write = cliJson<ProjectKeyCreated>(['projects', 'rotate-key', 'test', '--write', '--db', schema.url]);
        // No waiting: keys are looked up per request, nothing caches them.
        for (const instance of [a, b]) {
          expect(await keyStatus(instance, a.writeKey)).toBe(401);
          expect(await keyStatus(instance, write.key)).toBe(200);
        }

        const res = await a.fetch(`/v1/projects/${a.project.id}/keys`, {
          method: 'POST',
          headers: { authorization: `Bearer ${a.adminToken}`, 'content-type': 'application/json' },
          body: '{"kind":"read"}',
        });
        expect(res.status).toBe(201);
        const read = (await res.json()) as ProjectKeyCreated;
        for (const instance of [b, a]) {
          expect(await keyStatus(instance, a.readKey)).toBe(401);
          expect(await keyStatus(instance, read.key)).toBe(200);
        }
      } finally {
        await Promise.all([a.stop(), b.stop()]);
        await schema.drop();
      }
    });
  });
}
