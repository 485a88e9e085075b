import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../packages/collector/bin/mcptrail.js', import.meta.url));

/** Starts the built collector CLI and resolves once it listens; `cpus` (a taskset list) pins it. */
export async function startCollector({ db, args = [], env = {}, cpus }) {
  const adminToken = randomBytes(16).toString('hex');
  const command = [process.execPath, CLI, 'serve', '--port', '0', '--db', db, '--log-level', 'warn', ...args];
  if (cpus) command.unshift('taskset', '-c', cpus);
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, MCPTRAIL_ADMIN_TOKEN: adminToken, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /collector and dashboard on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`collector exited ${code}: ${out}`)));
  });
  return {
    url,
    pid: child.pid,
    adminToken,
    async createProject(name) {
      const res = await fetch(`${url}/v1/projects`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` }, body: JSON.stringify({ name }) });
      return res.json();
    },
    /** Peak resident memory so far, from the kernel's high-water mark. */
    peakRssMb() {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return match ? Number(match[1]) / 1024 : NaN;
    },
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }),
  };
}

/** Sends batches with `concurrency` requests in flight; returns elapsed ms and totals. */
export async function sendAll(targets, batchList, { concurrency = 4 } = {}) {
  let next = 0;
  let accepted = 0;
  let duplicates = 0;
  const started = performance.now();
  const worker = async (w) => {
    for (;;) {
      const index = next++;
      if (index >= batchList.length) return;
      const target = targets[(index + w) % targets.length];
      const res = await fetch(`${target.url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${target.writeKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: batchList[index] }),
      });
      if (res.status !== 200) throw new Error(`batch ${index}: ${res.status} ${await res.text()}`);
      const body = await res.json();
      accepted += body.accepted;
      duplicates += body.duplicates;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return { ms: performance.now() - started, accepted, duplicates };
}
