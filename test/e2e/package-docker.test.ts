// The collector's Docker image (issue 14): built from the repository's Dockerfile, started
// with a data volume, it serves, reports healthy, runs as a non-root user and keeps its data
// across a restart. Needs a Docker engine; without one the test is reported skipped with
// the reason (`docker --version` works without an engine, `docker info` does not).
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { EventResponse } from '@mcptrail/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';

const run = promisify(execFile);
const REPO = new URL('../..', import.meta.url).pathname;
const docker = async (...args: string[]) =>
  (await run('docker', args, { cwd: REPO, maxBuffer: 64 << 20 })).stdout.trim();

function probeDocker(): { ok: true } | { ok: false; reason: string } {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 20_000 });
  if (info.error) return { ok: false, reason: `docker is not installed (${info.error.message})` };
  if (info.status !== 0)
    return {
      ok: false,
      reason: `no Docker engine answers \`docker info\`: ${(info.stderr || info.stdout).trim().split('\n').at(-1)}`,
    };
  return { ok: true };
}

const probe = probeDocker();
const name = `mcptrail-test-${randomBytes(4).toString('hex')}`;
const cleanup: string[][] = [];
afterAll(async () => {
  for (const args of cleanup.reverse()) await docker(...args).catch(() => {});
});

if (!probe.ok) {
  console.warn(`skipping the Docker image test: ${probe.reason}`);
  it.skip(`Docker image (skipped: ${probe.reason})`, () => {});
} else {
  describe('the Docker image', () => {
    it('builds, serves dashboard and API on 0.0.0.0:4400 as a non-root user, is healthy, keeps /data', async () => {
      cleanup.push(['rmi', '-f', name]);
      await docker('build', '-t', name, '.');
      cleanup.push(['volume', 'rm', '-f', name]);
      cleanup.push(['rm', '-f', name]);
      await docker('run', '-d', '--name', name, '-p', '127.0.0.1::4400', '-v', `${name}:/data`, name);
      // The host port is drawn at each start.
      const urlOf = async () =>
        `http://127.0.0.1:${(await docker('port', name, '4400/tcp')).split('\n')[0]!.split(':').at(-1)}`;
      let url = await urlOf();
      const logs = async () => {
        const { stdout, stderr } = await run('docker', ['logs', name]);
        return stdout + stderr;
      };
      await waitFor(
        async () => (await logs()).includes('collector and dashboard on http://0.0.0.0:4400'),
        'the container to listen',
        60_000,
      );
      const output = await logs();
      const key = (kind: string) => new RegExp(`${kind} key[^:]*:\\s+(mt[wr]_\\S+)`).exec(output)![1]!;

      expect(await docker('exec', name, 'id', '-u')).not.toBe('0');
      expect(await docker('exec', name, 'ls', '/data')).toContain('mcptrail.db');
      expect((await fetch(`${url}/`)).status).toBe(200);
      expect(await (await fetch(`${url}/`)).text()).not.toContain('The dashboard is not built');
      const post = await fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key('write')}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          events: [{ id: 'in-docker', timestamp: Date.now(), method: 'tools/call', target: 'search' }],
        }),
      });
      expect(post.status).toBe(200);
      await waitFor(
        async () => (await docker('inspect', '--format', '{{.State.Health.Status}}', name)) === 'healthy',
        'the health check to pass',
        90_000,
      );

      // SIGTERM ends it cleanly; the volume keeps the project and the event.
      await docker('restart', name);
      url = await urlOf();
      await waitFor(
        async () => (await fetch(`${url}/healthz`).catch(() => null))?.status === 200,
        'the restarted container to serve',
        60_000,
      );
      const read = await fetch(`${url}/v1/events/in-docker`, { headers: { authorization: `Bearer ${key('read')}` } });
      expect(((await read.json()) as EventResponse).event.id).toBe('in-docker');
      expect(await logs()).toContain('1 project in this database');
    }, 900_000);
  });
}
