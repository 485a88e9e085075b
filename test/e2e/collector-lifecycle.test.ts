import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import type { ProjectCreated, SessionListResponse } from '@mcptrail/protocol';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, startCollector, tempDbPath } from '../support/collector.js';
import { freePort } from '../support/free-port.js';
import { waitFor } from '../support/wait.js';

const NOW = Date.now();
const event = (id: string) => ({
  id,
  timestamp: NOW - 1000,
  method: 'tools/call',
  target: 'echo',
  user: { id: 'u1' },
  client: { name: 'Cursor' },
});

describe('collector process lifecycle', () => {
  it('keeps what it stored across a restart', async () => {
    const db = tempDbPath();
    const first = await startCollector({ db });
    await first.post([event('persist-1'), event('persist-2')]);
    expect(await first.stop()).toBe(0);
    const second = await startCollector({ db, createProject: false });
    try {
      const list = await second.get<SessionListResponse>('/v1/sessions', first.readKey);
      expect(list.sessions).toHaveLength(1);
      expect(list.sessions[0]!.eventCount).toBe(2);
    } finally {
      await second.stop();
    }
  });

  it('keeps every acknowledged event through kill -9', async () => {
    const db = tempDbPath();
    const collector = await startCollector({ db });
    const acknowledged: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const events = Array.from({ length: 50 }, (_, i) => event(`k${batch}-${i}`));
      const result = await collector.post(events);
      expect(result.accepted).toBe(50);
      acknowledged.push(...events.map((e) => e.id));
    }
    await collector.kill();
    const after = await startCollector({ db, createProject: false });
    try {
      const session = (await after.get<SessionListResponse>('/v1/sessions', collector.readKey)).sessions[0]!;
      expect(session.eventCount).toBe(acknowledged.length);
      const last = await after.get<{ event: { id: string } }>(`/v1/events/${acknowledged.at(-1)}`, collector.readKey);
      expect(last.event.id).toBe(acknowledged.at(-1));
    } finally {
      await after.stop();
    }
  });

  it('finishes in-flight batches on SIGTERM and exits 0', async () => {
    const collector = await startCollector();
    const body = JSON.stringify({ events: Array.from({ length: 1000 }, (_, i) => event(`term-${i}`)) });
    // "Expect: 100-continue": the collector says when it has read the headers, so the batch is in flight
    // when SIGTERM arrives (the body follows it), however busy the machine.
    const request = httpRequest(`${collector.url}/v1/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${collector.writeKey}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      request.once('response', (res) => res.resume().once('end', () => resolve(res)));
      request.once('error', reject);
    });
    request.flushHeaders();
    await once(request, 'continue');
    const code = collector.stop();
    request.end(body);
    const answer = await answered;
    expect(answer.statusCode).toBe(200);
    // Told to let go of the connection: a keep-alive client would otherwise hold the shutdown up.
    expect(answer.headers.connection).toBe('close');
    expect(await code).toBe(0);
    // Acknowledged, so it must be there after a restart.
    const again = await startCollector({ db: collector.db, createProject: false });
    try {
      expect((await again.get<SessionListResponse>('/v1/sessions', collector.readKey)).sessions[0]!.eventCount).toBe(
        1000,
      );
    } finally {
      await again.stop();
    }
  });

  it('with its stdout closed from the start, neither crashes nor hangs: serves, and SIGTERM exits 0', async () => {
    const port = await freePort();
    // No admin token: the collector prints new keys, into a pipe nobody reads any more (EPIPE).
    const child = spawn(
      process.execPath,
      [CLI, 'serve', '--port', String(port), '--db', tempDbPath(), '--log-level', 'info'],
      {
        env: { ...process.env, MCPTRAIL_ADMIN_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.destroy();
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    try {
      await waitFor(async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${stderr}`);
        return (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status === 200;
      }, 'the collector to serve');
      expect((await fetch(`http://127.0.0.1:${port}/v1/sessions`)).status).toBe(401);
      child.kill('SIGTERM');
      expect(await exited).toEqual([0, null]);
    } finally {
      child.kill('SIGKILL');
    }
  }, 30_000);

  it('with its stdout closed while it runs, still exits 0 on SIGTERM (its last log lines go nowhere)', async () => {
    const collector = await startCollector({ logLevel: 'info' });
    collector.child.stdout!.destroy();
    expect((await collector.get<SessionListResponse>('/v1/sessions')).sessions).toEqual([]);
    expect(await collector.stop()).toBe(0);
  }, 30_000);

  it('says clearly when the port is taken or the database cannot be written', async () => {
    const running = await startCollector();
    try {
      const port = new URL(running.url).port;
      const taken = runCli(['serve', '--port', port, '--db', tempDbPath()]);
      expect(taken.status).toBe(1);
      expect(taken.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await running.stop();
    }
    // A folder is no database file, even for root.
    const unwritable = runCli(['serve', '--port', '0', '--db', tmpdir()]);
    expect(unwritable.status).toBe(1);
    expect(unwritable.stderr).toMatch(/cannot open the database file .*: /);
  });

  it('creates a default project on first start without an admin token and prints its keys once', async () => {
    const db = tempDbPath();
    const start = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--db', db], {
          env: { ...process.env, MCPTRAIL_ADMIN_TOKEN: '' },
        });
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          if (out.includes('collector and dashboard on')) child.kill('SIGTERM');
        });
        child.on('exit', () => resolve(out));
        child.on('error', reject);
      });
    const first = await start();
    const writeKey = /write key.*:\s+(mtw_\S+)/.exec(first)?.[1];
    expect(writeKey).toBeDefined();
    expect(first).toMatch(/read key.*:\s+mtr_\S+/);
    expect(await start()).not.toContain('mtw_');
  });

  it('creates projects from the CLI', () => {
    const db = tempDbPath();
    const result = runCli(['projects', 'create', 'cli-made', '--db', db, '--json']);
    expect(result.status).toBe(0);
    const project = JSON.parse(result.stdout) as ProjectCreated;
    expect(project).toMatchObject({ name: 'cli-made' });
    expect(project.writeKey).toMatch(/^mtw_/);
  });
});
