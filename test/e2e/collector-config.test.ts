// One validated configuration (issue 10): flags and environment variables pass the same
// checks before anything happens, and the limits they set hold on a running collector.
import { existsSync, mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCollector } from '../support/collector.js';
import { waitFor } from '../support/wait.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'mcptrail-config-'));

describe('collector configuration', () => {
  it.each([
    ['MCPTRAIL_PORT', { MCPTRAIL_PORT: 'abc' }, []],
    ['MCPTRAIL_SESSION_TIMEOUT', { MCPTRAIL_SESSION_TIMEOUT: 'bogus' }, ['--port', '0']],
    ['MCPTRAIL_POOL_SIZE', { MCPTRAIL_POOL_SIZE: '0' }, ['--port', '0']],
    ['MCPTRAIL_READ_WORKERS', { MCPTRAIL_READ_WORKERS: '0' }, ['--port', '0']],
    ['MCPTRAIL_QUERY_TIMEOUT', { MCPTRAIL_QUERY_TIMEOUT: '0s' }, ['--port', '0']],
    ['--query-timeout', {}, ['--port', '0', '--query-timeout', 'forever']],
    ['MCPTRAIL_LOG_LEVEL', { MCPTRAIL_LOG_LEVEL: 'loud' }, ['--port', '0']],
    ['MCPTRAIL_READ_TIMEOUT', { MCPTRAIL_READ_TIMEOUT: 'soon' }, ['--port', '0']],
    ['MCPTRAIL_MAX_CONNECTIONS', { MCPTRAIL_MAX_CONNECTIONS: '-1' }, ['--port', '0']],
    ['MCPTRAIL_ADMIN_TOKEN', { MCPTRAIL_ADMIN_TOKEN: 'too-short' }, ['--port', '0']],
    ['--log-level', {}, ['--port', '0', '--log-level', 'loud']],
    ['--session-timeout', {}, ['--port', '0', '--session-timeout', 'soon']],
    ['--port', { MCPTRAIL_PORT: '4400' }, ['--port', '70000']],
  ])('%s: a bad value exits 2 with one line naming it, before opening anything', (name, env, args) => {
    const db = join(tempDir(), 'never.db');
    const result = runCli(['serve', '--db', db, ...args], env);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining(`mcptrail: ${name}`)]);
    // No database opened, no keys printed.
    expect(result.stdout).toBe('');
    expect(existsSync(db)).toBe(false);
  });

  it('never repeats a secret in its message', () => {
    const result = runCli(['serve', '--port', '0', '--db', join(tempDir(), 'never.db')], {
      MCPTRAIL_ADMIN_TOKEN: 'hunter2-secret',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('at least 16 characters');
    expect(result.stderr).not.toContain('hunter2');
  });

  it('--help works whatever the environment holds, and shows defaults as a user writes them', () => {
    const result = runCli(['serve', '--help'], { MCPTRAIL_SESSION_TIMEOUT: 'bogus', MCPTRAIL_PORT: 'abc' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/--session-timeout <duration>[\s\S]*default:\s+30m/);
    expect(result.stdout).toContain('MCPTRAIL_SESSION_TIMEOUT');
    expect(result.stdout).toMatch(/--read-timeout[\s\S]*--max-connections/);
  });

  it('refuses a --db whose folder is missing; creates only the default data folder', () => {
    const cwd = tempDir();
    const typo = runCli(['projects', 'create', 'p', '--db', join(cwd, 'data-typo', 'mcptrail.db')], {}, cwd);
    expect(typo.status).toBe(2);
    expect(typo.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^mcptrail: --db .*data-typo.* does not exist/),
    ]);
    expect(existsSync(join(cwd, 'data-typo'))).toBe(false);
    const fromEnv = runCli(['projects', 'create', 'p'], { MCPTRAIL_DB: join(cwd, 'nope', 'x.db') }, cwd);
    expect(fromEnv.status).toBe(2);
    expect(fromEnv.stderr).toMatch(/^mcptrail: MCPTRAIL_DB /);

    const byDefault = runCli(['projects', 'create', 'p', '--json'], {}, cwd);
    expect(byDefault.status).toBe(0);
    expect(existsSync(join(cwd, '.mcptrail', 'mcptrail.db'))).toBe(true);
  });

  it('cuts off a request whose body trickles past --read-timeout with 408, and keeps serving', async () => {
    const collector = await startCollector({ args: ['--read-timeout', '1s'] });
    try {
      const socket = await open(collector.url);
      socket.write(
        `POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${collector.writeKey}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"events": [',
      );
      // One byte every 200 ms would take 200 s for the body.
      const trickle = setInterval(() => socket.writable && socket.write(' '), 200);
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk));
      await new Promise((resolve) => socket.once('close', resolve));
      clearInterval(trickle);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect((await collector.post([{ id: 'after', timestamp: Date.now(), method: 'ping' }])).accepted).toBe(1);
    } finally {
      await collector.stop();
    }
  });

  it('refuses connections past --max-connections, and takes new ones when some close', async () => {
    // No project: the helper would hold a keep-alive connection of its own.
    const collector = await startCollector({ args: ['--max-connections', '2'], createProject: false });
    try {
      // Two connections the collector has taken (each answered once, kept alive).
      const held = [await open(collector.url), await open(collector.url)];
      for (const socket of held) expect(await healthz(socket)).toMatch(/^HTTP\/1\.1 200/);
      const third = await open(collector.url);
      expect(await healthz(third)).toBe('closed');
      held[0]!.destroy();
      await waitFor(async () => {
        const socket = await open(collector.url);
        const answer = await healthz(socket);
        socket.destroy();
        return answer.startsWith('HTTP/1.1 200');
      }, 'a connection to be taken again');
      held[1]!.destroy();
    } finally {
      await collector.stop();
    }
  });
});

async function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  return socket;
}

/** GET /healthz on a raw connection: the head of the answer, or `closed` if the collector closed it instead. */
function healthz(socket: Socket): Promise<string> {
  if (socket.destroyed) return Promise.resolve('closed');
  return new Promise((resolve) => {
    const onData = (chunk: Buffer) => {
      socket.off('close', onClose);
      resolve(chunk.toString());
    };
    const onClose = () => {
      socket.off('data', onData);
      resolve('closed');
    };
    socket.once('data', onData);
    socket.once('close', onClose);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  });
}
