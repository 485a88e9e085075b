/**
 * Exit behaviour in real child processes running the built SDK: events are
 * drained on the way out, a signal still ends the process (or is left to the
 * host's own handler), a dead collector never keeps the process alive, and
 * an awaited flush() or shutdown() does: the code after it runs.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptureServer, type CaptureServer } from '../../test-support/capture-server.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/** A tracked v1 server answering three tools/call requests in-process, then doing `then`. */
const script = (then: string, options = '') => `
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { deliveryStats, flush, shutdown, track } from 'mcptrail';
const server = track(new McpServer({ name: 'exit', version: '1' }), {
  endpoint: process.env.ENDPOINT, projectKey: process.env.KEY ?? 'k', ${options}
});
server.registerTool('t', {}, async () => ({ content: [] }));
const [a, b] = InMemoryTransport.createLinkedPair();
await server.connect(b);
const client = new Client({ name: 'c', version: '1' });
await client.connect(a);
for (let i = 0; i < 3; i++) await client.callTool({ name: 't', arguments: {} });
${then}
`;

function run(
  source: string,
  endpoint: string,
  key = 'k',
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], {
    cwd: repo,
    env: { ...process.env, ENDPOINT: endpoint, KEY: key },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, out })));
}

describe('on the way out', () => {
  let collector: CaptureServer;
  beforeAll(async () => {
    collector = await startCaptureServer();
  });
  afterAll(async () => {
    await collector.close();
  });

  it('drains on beforeExit when the work is done', async () => {
    collector.batches.length = 0;
    const result = await run(script('await client.close();'), collector.url);
    expect(result.code).toBe(0);
    expect(collector.accepted().filter((e) => e.method === 'tools/call')).toHaveLength(3);
  });

  it('drains on SIGINT and still exits by the signal when no one else listens', async () => {
    collector.batches.length = 0;
    const result = await run(
      script("setInterval(() => {}, 1000); process.kill(process.pid, 'SIGINT');"),
      collector.url,
    );
    expect(result.signal).toBe('SIGINT');
    expect(collector.accepted().filter((e) => e.method === 'tools/call')).toHaveLength(3);
  });

  it("leaves SIGTERM to the host's own handler", async () => {
    collector.batches.length = 0;
    const result = await run(
      script(
        "setInterval(() => {}, 1000); process.on('SIGTERM', () => setTimeout(() => process.exit(7), 300)); " +
          "process.kill(process.pid, 'SIGTERM');",
      ),
      collector.url,
    );
    expect(result.code).toBe(7);
    expect(collector.accepted().filter((e) => e.method === 'tools/call')).toHaveLength(3);
  });

  it("leaves SIGTERM to a host's once-handler registered before track() (stateless servers track late)", async () => {
    collector.batches.length = 0;
    const source = script("setInterval(() => {}, 1000); process.kill(process.pid, 'SIGTERM');").replace(
      'const server = track(',
      "process.once('SIGTERM', () => setTimeout(() => process.exit(7), 300));\nconst server = track(",
    );
    const result = await run(source, collector.url);
    expect(result.code).toBe(7);
    expect(collector.accepted().filter((e) => e.method === 'tools/call')).toHaveLength(3);
  });

  it('never keeps the process alive when the collector is down', async () => {
    const result = await run(script('await client.close();'), 'http://127.0.0.1:9');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/\[mcptrail\] \d+ event\(s\) not delivered at exit/);
  });

  it('counts the events still waiting on identify in the loss it reports at exit', async () => {
    collector.batches.length = 0;
    // identify never answers (within its minute): no event is built before the process ends.
    const result = await run(
      script('await client.close();', 'identify: () => new Promise(() => {}), identifyTimeoutMs: 60_000'),
      collector.url,
    );
    expect(result.code).toBe(0);
    expect(collector.accepted()).toHaveLength(0);
    // initialize and three tools/call requests.
    expect(result.out).toMatch(/\[mcptrail\] 4 event\(s\) not delivered at exit/);
  });
});

describe('an awaited flush() or shutdown() keeps the process alive until it resolves', () => {
  let collector: CaptureServer;
  beforeAll(async () => {
    collector = await startCaptureServer();
    // Per key: 500s, or 429 with a Retry-After far beyond the flush's deadline.
    collector.reply((batch) =>
      batch.headers.authorization === 'Bearer busy'
        ? { status: 429, headers: { 'retry-after': '30' } }
        : { status: 500, text: 'internal' },
    );
  });
  afterAll(async () => {
    await collector.close();
  });

  const then = (call: string) => `
const started = Date.now();
await ${call};
console.log('AFTER ' + (Date.now() - started) + ' ' + JSON.stringify(deliveryStats()));
await client.close();
`;
  const after = (out: string) => {
    const match = /AFTER (\d+) (\{.*\})/.exec(out);
    return match
      ? { ms: Number(match[1]), stats: JSON.parse(match[2]!) as { queued: number; sent: number; dropped: number } }
      : undefined;
  };

  // Concurrent: each child waits out its two seconds at the same time.
  it.concurrent.each([
    { fault: 'answering 500', call: 'flush(2000)', key: 'failing', endpoint: () => collector.url },
    { fault: 'answering 429 with Retry-After: 30', call: 'flush(2000)', key: 'busy', endpoint: () => collector.url },
    { fault: 'down', call: 'flush(2000)', key: 'k', endpoint: () => 'http://127.0.0.1:9' },
    { fault: 'answering 500', call: 'shutdown(2000)', key: 'failing', endpoint: () => collector.url },
  ])('$call with the collector $fault: the code after it runs, at the deadline', async ({ call, key, endpoint }) => {
    const result = await run(script(then(call)), endpoint(), key);
    const done = after(result.out);
    expect(done, result.out).toBeDefined();
    // By its deadline, not long before: it waited for the collector as long as it was told to.
    expect(done!.ms).toBeGreaterThanOrEqual(1990);
    expect(done!.ms).toBeLessThan(2000 + 3000);
    expect(done!.stats.sent).toBe(0);
    if (call.startsWith('shutdown')) {
      // Terminal: what it could not deliver is dropped, counted and logged; nothing is left for the exit.
      expect(done!.stats).toMatchObject({ queued: 0, dropped: 4 });
      expect(result.out).toMatch(/\[mcptrail\] shutdown\(\): 4 event\(s\) could not be delivered/);
      expect(result.out).not.toMatch(/not delivered at exit/);
    } else {
      expect(done!.stats).toMatchObject({ queued: 4, dropped: 0 });
      expect(result.out).toMatch(/\[mcptrail\] 4 event\(s\) not delivered at exit/);
    }
    expect(result.code).toBe(0);
  });
});
