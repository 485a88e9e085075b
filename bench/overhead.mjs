#!/usr/bin/env node
/**
 * SDK overhead (issue 3): an echo tool called through a v1 McpServer over the
 * in-memory transport, untracked vs tracked (delivering to a real local
 * collector), one event-loop turn between calls as real requests arrive as
 * I/O. Then the tracker's peak RSS over 100k calls while the collector is down.
 *
 *   npm run build && npm run bench:overhead [-- --calls 20000 --down-calls 100000]
 *
 * Prints figures and ratios from this one run; it asserts nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { deliveryStats, flush, shutdown, track } from 'mcptrail';
import { z } from 'zod';
import { startCollector } from './lib/collector-process.mjs';

// On Linux with taskset and 2+ CPUs, this process runs on CPU 0 and the collector on the others: the
// collector's work (not the SDK's cost) then never lands on the measured core, which on a 2-core machine
// swung the CPU ratio by ±0.15 from run to run. MCPTRAIL_BENCH_NO_PIN=1 measures unpinned.
/** The collector's CPU list, set when this process was restarted pinned (inside it, only CPU 0 is visible). */
const COLLECTOR_CPUS = process.env.MCPTRAIL_BENCH_COLLECTOR_CPUS;
const PINNED = COLLECTOR_CPUS !== undefined;
if (
  !PINNED &&
  !process.env.MCPTRAIL_BENCH_NO_PIN &&
  availableParallelism() >= 2 &&
  spawnSync('taskset', ['-V']).status === 0
) {
  const pinned = spawnSync('taskset', ['-c', '0', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, MCPTRAIL_BENCH_COLLECTOR_CPUS: `1-${availableParallelism() - 1}` },
  });
  process.exit(pinned.status ?? 1);
}

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALLS = arg('calls', 20_000);
const DOWN_CALLS = arg('down-calls', 100_000);
const WARMUP = Math.min(2000, CALLS);
const QUEUE_BYTES = 64 * 1024 * 1024;

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** The collector CLI in a child process, with one project. */
async function startBenchCollector() {
  const collector = await startCollector({
    db: join(mkdtempSync(join(tmpdir(), 'mcptrail-bench-')), 'bench.db'),
    cpus: COLLECTOR_CPUS,
  });
  const project = await collector.createProject('bench');
  const get = (path) =>
    fetch(`${collector.url}${path}`, { headers: { authorization: `Bearer ${project.readKey}` } }).then((r) => r.json());
  return { ...collector, project, get };
}

async function echoClient(options) {
  const server = new McpServer({ name: 'bench', version: '1.0.0' });
  server.registerTool('echo', { inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  if (options) track(server, options);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: 'bench-client', version: '1.0.0' });
  await client.connect(clientTransport);
  return client;
}

/** n calls, one turn apart, into `latencies` from `offset`; returns process CPU µs spent (with `after`). */
async function block(client, n, latencies, offset, after = async () => {}) {
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    await turn();
    const t0 = performance.now();
    await client.callTool({ name: 'echo', arguments: { text: `call ${i}` } });
    latencies[offset + i] = (performance.now() - t0) * 1000;
  }
  await after();
  const cpu = process.cpuUsage(cpu0);
  return cpu.user + cpu.system;
}

/**
 * Untracked and tracked calls in alternating blocks (so load from elsewhere on
 * the machine hits both alike); each tracked block ends with a flush, so its
 * CPU includes delivering all of its events.
 */
async function compare(plain, tracked, calls, blockSize) {
  const lat = { plain: new Float64Array(calls), tracked: new Float64Array(calls) };
  const cpu = { plain: 0, tracked: 0 };
  for (let done = 0; done < calls; done += blockSize) {
    const n = Math.min(blockSize, calls - done);
    cpu.plain += await block(plain, n, lat.plain, done);
    cpu.tracked += await block(tracked, n, lat.tracked, done, () => flush(60_000));
  }
  const summary = (latencies, cpuTotal) => {
    latencies.sort();
    const at = (q) => latencies[Math.min(calls - 1, Math.floor(q * calls))];
    return { median: at(0.5), p99: at(0.99), cpuPerCall: cpuTotal / calls };
  };
  return { base: summary(lat.plain, cpu.plain), withTracking: summary(lat.tracked, cpu.tracked) };
}

const fmt = (x) => x.toFixed(1).padStart(9);

/** A full GC, where the flag can be turned on at runtime. */
const gc = (() => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc');
  } catch {
    return () => {};
  }
})();

/** Peak RSS growth while making n calls, and heap growth after a full GC. */
async function memoryOver(client, n) {
  gc();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  for (let i = 0; i < n; i++) {
    await turn();
    await client.callTool({ name: 'echo', arguments: { text: `call ${i}` } });
  }
  await turn();
  clearInterval(sampler);
  gc();
  peak = Math.max(peak, process.memoryUsage().rss);
  return { rss: peak - rss0, heap: process.memoryUsage().heapUsed - heap0 };
}
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const collector = await startBenchCollector();
try {
  const plain = await echoClient();
  const tracked = await echoClient({ endpoint: collector.url, projectKey: collector.project.writeKey });
  await compare(plain, tracked, WARMUP, 1000);
  const warmupEvents = deliveryStats().sent;

  const { base, withTracking } = await compare(plain, tracked, CALLS, 1000);
  const sent = deliveryStats().sent - warmupEvents;
  const tools = await collector.get('/v1/tools');
  const echo = tools.tools.find((t) => t.name === 'echo');
  const stored = (echo?.calls ?? 0) - WARMUP;

  console.log(
    `mcptrail overhead: ${CALLS} echo calls each way through a v1 McpServer (in-memory transport), ` +
      `alternating blocks of 1000, node ${process.version}`,
  );
  console.log(
    PINNED
      ? `pinned: this process on CPU 0, the collector on CPUs ${COLLECTOR_CPUS}`
      : 'not pinned (no taskset, one CPU, or MCPTRAIL_BENCH_NO_PIN)',
  );
  console.log('                 median µs  p99 µs  CPU µs/call');
  console.log(`untracked       ${fmt(base.median)}${fmt(base.p99)}${fmt(base.cpuPerCall)}`);
  console.log(
    `tracked         ${fmt(withTracking.median)}${fmt(withTracking.p99)}${fmt(withTracking.cpuPerCall)}` +
      '   (CPU includes delivering every event)',
  );
  console.log(
    `ratio tracked/untracked: median ${(withTracking.median / base.median).toFixed(3)} (target ≤ 1.10), ` +
      `CPU ${(withTracking.cpuPerCall / base.cpuPerCall).toFixed(3)} (target ≤ 1.5)`,
  );
  console.log(
    `events delivered: ${sent} of ${CALLS} sent and accepted; ` +
      `${stored} of ${CALLS} tools/call events stored at the collector; dropped ${deliveryStats().dropped}`,
  );
  // Not shutdown(): it is terminal, and the collector-down run below tracks another server.
  await flush();

  // Collector down: the queue is what grows. The same calls untracked first, for the baseline.
  const downPort = await new Promise((resolve) => {
    const probe = spawn(process.execPath, [
      '-e',
      "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
    ]);
    probe.stdout.on('data', (d) => resolve(Number(String(d).trim())));
  });
  const offline = await echoClient({ endpoint: `http://127.0.0.1:${downPort}`, projectKey: 'wk_down' });
  const untrackedGrowth = await memoryOver(await echoClient(), DOWN_CALLS);
  const trackedGrowth = await memoryOver(offline, DOWN_CALLS);
  const stats = deliveryStats();
  console.log(`collector down, ${DOWN_CALLS} calls (peak RSS growth; heap growth after GC):`);
  console.log(`  untracked  RSS +${mb(untrackedGrowth.rss)}  heap +${mb(untrackedGrowth.heap)}`);
  console.log(
    `  tracked    RSS +${mb(trackedGrowth.rss)}  heap +${mb(trackedGrowth.heap)}  — ${stats.queued} events queued, ` +
      `${mb(stats.queuedBytes)} of JSON (bound ${mb(QUEUE_BYTES)}), ${stats.dropped} dropped`,
  );
  await shutdown(100);
} finally {
  await collector.stop();
}
