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
    const onStartup = (chunk) => {
      out += chunk;
      const match = /collector and dashboard on (http:\/\/\S+)/.exec(out);
      if (!match) return;
      // From here on its log (warnings and errors, --log-level warn) goes to the benchmark's stderr.
      child.stdout.off('data', onStartup);
      child.stdout.pipe(process.stderr);
      resolve(match[1]);
    };
    child.stdout.on('data', onStartup);
    child.once('exit', (code) => reject(new Error(`collector exited ${code}: ${out}`)));
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM')
      console.error(`collector ${child.pid} exited: code ${code}, signal ${signal}`);
  });
  return {
    url,
    pid: child.pid,
    adminToken,
    async createProject(name) {
      const res = await fetch(`${url}/v1/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ name }),
      });
      return res.json();
    },
    /** Peak resident memory so far, from the kernel's high-water mark. */
    peakRssMb() {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return match ? Number(match[1]) / 1024 : NaN;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Sends batches (any iterable, read lazily: ten million events never sit in memory at once) with
 * `concurrency` requests in flight; returns elapsed ms, totals, and each acknowledgement's latency in ms.
 * `onAck(accepted, ackMs)` sees every answer as it comes.
 */
export async function sendAll(targets, batches, { concurrency = 4, onAck } = {}) {
  const source = batches[Symbol.iterator]();
  let index = 0;
  let accepted = 0;
  let duplicates = 0;
  let retries = 0;
  const ackMs = [];
  const started = performance.now();
  const worker = async (w) => {
    for (;;) {
      const next = source.next();
      if (next.done) return;
      const batch = index++;
      const target = targets[(batch + w) % targets.length];
      const sent = performance.now();
      const res = await postWithRetries(
        `${target.url}/v1/events`,
        target.writeKey,
        JSON.stringify({ events: next.value }),
        () => retries++,
      );
      if (res.status !== 200) throw new Error(`batch ${batch}: ${res.status} ${await res.text()}`);
      const body = await res.json();
      const took = performance.now() - sent;
      ackMs.push(took);
      accepted += body.accepted;
      duplicates += body.duplicates;
      onAck?.(body.accepted, took);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  if (retries > 0) console.error(`sendAll: ${retries} requests retried (connection lost or 503)`);
  return { ms: performance.now() - started, accepted, duplicates, retries, ackMs };
}

/** A POST as an SDK sends it: a lost connection or a 503 is retried (the same ids: the collector counts duplicates). */
async function postWithRetries(url, writeKey, body, onRetry) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
        body,
      });
      if (res.status !== 503 || attempt === 5) return res;
      await res.arrayBuffer();
    } catch (error) {
      if (attempt === 5) throw error;
      console.error(`sendAll: ${error.cause?.code ?? error.message}; retrying`);
    }
    onRetry();
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
  }
}

/** The value below which `share` (0–1) of `values` lie (nearest rank); sorts a copy. */
export function percentile(values, share) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))];
}
