import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventBatch, IngestResult, ProjectCreated } from '@mcptrail/protocol';

export const CLI = fileURLToPath(new URL('../../packages/collector/bin/mcptrail.js', import.meta.url));

export interface CollectorProcessOptions {
  /** Inactivity timeout, e.g. `2s` (default 30m). */
  sessionTimeout?: string;
  /** SQLite path or postgres URL; default a fresh file in a temp dir. */
  db?: string;
  /** Fixed port; default an ephemeral one. */
  port?: number;
  env?: Record<string, string>;
  /** PostgreSQL connections of this instance (`--pool-size`). */
  poolSize?: number;
  /** Create a project and expose its keys (default true). */
  createProject?: boolean;
  /** Use this existing project's keys (e.g. another instance's on the same database) instead of creating one. */
  project?: ProjectCreated;
  /** `--log-level` (default warn). */
  logLevel?: string;
  /** More `serve` flags. */
  args?: string[];
  /** Node options before the CLI, e.g. `--require` of a preload. */
  nodeArgs?: string[];
}

export interface CollectorProcess {
  url: string;
  db: string;
  adminToken: string;
  child: ChildProcess;
  /** Keys of the project created at start. */
  project: ProjectCreated;
  writeKey: string;
  readKey: string;
  output(): string;
  createProject(name: string): Promise<ProjectCreated>;
  /** POST /v1/events with this project's write key (or `key`); throws on non-200. */
  post(
    events: unknown[],
    options?: { key?: string; dropped?: number; sender?: EventBatch['sender'] },
  ): Promise<IngestResult>;
  /** GET with this project's read key (or `key`); throws on non-200. */
  get<T>(path: string, key?: string): Promise<T>;
  /** Raw fetch against the collector. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

/**
 * Runs the CLI to its end (at most 20 s) without the caller's mcptrail settings:
 * only `env` (and none of MCPTRAIL_* or DATABASE_URL from outside) applies.
 */
export function runCli(args: string[], env: Record<string, string> = {}, cwd?: string) {
  const outside = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('MCPTRAIL_') && name !== 'DATABASE_URL'),
  );
  return spawnSync(process.execPath, [CLI, ...args], {
    env: { ...outside, ...env },
    cwd,
    encoding: 'utf8',
    timeout: 20_000,
  });
}

export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'mcptrail-test-')), 'mcptrail.db');
}

/** Starts a real collector process (the built CLI) and waits until it listens. */
export async function startCollector(options: CollectorProcessOptions = {}): Promise<CollectorProcess> {
  const adminToken = randomBytes(16).toString('hex');
  const db = options.db ?? tempDbPath();
  const args = [
    ...(options.nodeArgs ?? []),
    CLI,
    'serve',
    '--port',
    String(options.port ?? 0),
    '--db',
    db,
    '--log-level',
    options.logLevel ?? 'warn',
  ];
  if (options.sessionTimeout) args.push('--session-timeout', options.sessionTimeout);
  if (options.poolSize) args.push('--pool-size', String(options.poolSize));
  args.push(...(options.args ?? []));
  const child = spawn(process.execPath, args, {
    env: { ...process.env, MCPTRAIL_ADMIN_TOKEN: adminToken, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${output}`)), 20_000);
    const onData = () => {
      const match = /collector and dashboard on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited with ${code}:\n${output}`));
    });
  });

  const doFetch = (path: string, init?: RequestInit) => fetch(`${url}${path}`, init);
  const createProject = async (name: string): Promise<ProjectCreated> => {
    const res = await doFetch('/v1/projects', {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    if (res.status !== 201) throw new Error(`create project: ${res.status} ${await res.text()}`);
    return (await res.json()) as ProjectCreated;
  };
  const project =
    options.project ?? (options.createProject === false ? ({} as ProjectCreated) : await createProject('test'));
  return {
    url,
    db,
    adminToken,
    child,
    project,
    writeKey: project.writeKey,
    readKey: project.readKey,
    output: () => output,
    createProject,
    fetch: doFetch,
    async post(events, postOptions = {}) {
      const res = await doFetch('/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${postOptions.key ?? project.writeKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events, dropped: postOptions.dropped, sender: postOptions.sender }),
      });
      if (res.status !== 200) throw new Error(`POST /v1/events: ${res.status} ${await res.text()}`);
      return (await res.json()) as IngestResult;
    },
    async get<T>(path: string, key?: string) {
      const res = await doFetch(path, { headers: { authorization: `Bearer ${key ?? project.readKey}` } });
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
