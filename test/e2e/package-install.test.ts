// Getting it outside the repository (issue 14): the packages npm would publish, packed and
// installed into an empty folder as a user installs them, start with the one documented
// command and work together. Run by `npm run test:package` (compiling better-sqlite3 on
// install takes about a minute, too long for `npm test`).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EventResponse, ToolListResponse } from '@mcptrail/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';

const run = promisify(execFile);
const REPO = new URL('../..', import.meta.url).pathname;
const PACKAGES = {
  protocol: '@mcptrail/protocol',
  dashboard: '@mcptrail/dashboard',
  collector: '@mcptrail/collector',
  sdk: 'mcptrail',
};
const MCP_SDK_VERSION = (
  JSON.parse(readFileSync(join(REPO, 'node_modules/@modelcontextprotocol/sdk/package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** A user's shell: none of this repository's npm script variables, no mcptrail settings. */
const userEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(npm_|MCPTRAIL_|DATABASE_URL$|INIT_CWD$)/.test(name)),
);

interface Packed {
  name: string;
  filename: string;
  files: { path: string }[];
}

let packed: Packed[] = [];
let app = '';
let collector: ChildProcess | null = null;
let output = '';
let url = '';
const key = (kind: 'write' | 'read') => new RegExp(`${kind} key[^:]*:\\s+(mt[wr]_\\S+)`).exec(output)?.[1] ?? '';

beforeAll(async () => {
  const packs = mkdtempSync(join(tmpdir(), 'mcptrail-packs-'));
  const workspaces = Object.keys(PACKAGES).flatMap((folder) => ['-w', `packages/${folder}`]);
  const pack = await run('npm', ['pack', ...workspaces, '--pack-destination', packs, '--json'], {
    cwd: REPO,
    env: userEnv,
    maxBuffer: 64 << 20,
  });
  packed = JSON.parse(pack.stdout) as Packed[];

  app = mkdtempSync(join(tmpdir(), 'mcptrail-install-'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'an-mcp-server', private: true, type: 'module' }));
  // Dependencies from the registry as a user gets them, from the local npm cache where it has them.
  const tarballs = packed.map((p) => join(packs, p.filename));
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...tarballs,
      `@modelcontextprotocol/sdk@${MCP_SDK_VERSION}`,
    ],
    {
      cwd: app,
      env: userEnv,
      maxBuffer: 64 << 20,
    },
  );

  // The README's command, in a folder that holds nothing of the repository. `--offline`: the
  // installed tarball must be what runs, not a package of that name from the registry.
  collector = spawn('npx', ['--offline', '@mcptrail/collector', 'serve', '--port', '0'], {
    cwd: app,
    env: userEnv,
    detached: true,
  });
  collector.stdout!.on('data', (chunk) => (output += chunk));
  collector.stderr!.on('data', (chunk) => (output += chunk));
  await waitFor(
    () => {
      if (collector!.exitCode !== null) throw new Error(`the collector exited with ${collector!.exitCode}:\n${output}`);
      url = /collector and dashboard on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
      return url !== '';
    },
    'the packaged collector to listen',
    60_000,
  );
}, 600_000);

afterAll(async () => {
  if (collector?.exitCode === null) {
    // npx runs the collector in a child of its own: stop the whole group.
    const exited = once(collector, 'exit');
    process.kill(-collector.pid!, 'SIGTERM');
    await exited;
  }
});

describe('the published packages, installed from their tarballs', () => {
  it('each ships its README, the LICENSE and what it needs to run', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(Object.values(PACKAGES).sort());
    const files = (name: string) => packed.find((p) => p.name === name)!.files.map((f) => f.path);
    for (const name of Object.values(PACKAGES))
      expect(files(name), name).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
    expect(files('@mcptrail/collector')).toEqual(
      expect.arrayContaining(['bin/mcptrail.js', 'dist/cli/main.js', 'dist/index.d.ts']),
    );
    expect(files('@mcptrail/dashboard')).toEqual(expect.arrayContaining(['dist/index.html']));
    expect(files('@mcptrail/dashboard').filter((path) => !path.startsWith('dist/'))).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/^src\//)]),
    );
    expect(files('mcptrail')).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts']));
    const license = readFileSync(join(REPO, 'LICENSE'), 'utf8');
    for (const name of Object.values(PACKAGES))
      expect(readFileSync(join(app, 'node_modules', name, 'LICENSE'), 'utf8'), name).toBe(license);
    // Built files only: the dashboard's React and chart libraries are bundled, not installed.
    expect(existsSync(join(app, 'node_modules/react'))).toBe(false);
  });

  it('`npx @mcptrail/collector serve` serves dashboard and API, keeps ./.mcptrail, takes events', async () => {
    const home = await fetch(`${url}/`);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).not.toContain('The dashboard is not built');
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    await asset.body?.cancel();
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
    expect(existsSync(join(app, '.mcptrail/mcptrail.db'))).toBe(true);

    const sent = {
      id: 'from-the-package',
      timestamp: Date.now(),
      method: 'tools/call',
      target: 'search',
      user: { id: 'u1' },
    };
    const post = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key('write')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [sent] }),
    });
    expect(await post.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const read = await fetch(`${url}/v1/events/from-the-package`, {
      headers: { authorization: `Bearer ${key('read')}` },
    });
    expect(((await read.json()) as EventResponse).event).toMatchObject({
      id: 'from-the-package',
      target: 'search',
      user: { id: 'u1' },
    });
  });

  it('the SDK from its tarball tracks a real MCP server into that collector, from ESM and CommonJS', async () => {
    const script = join(app, 'server.mjs');
    writeFileSync(
      script,
      `import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { flush, track } from 'mcptrail';

const server = new McpServer({ name: 'packaged', version: '1.0.0' });
server.registerTool('packaged-echo', { description: 'echo' }, async () => ({
  content: [{ type: 'text', text: 'hi' }],
}));
track(server, { identify: () => ({ userId: 'packaged-user' }) });
const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
await server.connect(serverSide);
const client = new Client({ name: 'packaged-client', version: '1.0.0' });
await client.connect(clientSide);
await client.callTool({ name: 'packaged-echo', arguments: {} });
await flush();
await client.close();
`,
    );
    const env = { ...userEnv, MCPTRAIL_KEY: key('write'), MCPTRAIL_ENDPOINT: url };
    await run(process.execPath, [script], { cwd: app, env });
    const cjs = await run(process.execPath, ['-e', "process.stdout.write(typeof require('mcptrail').track)"], {
      cwd: app,
      env,
    });
    expect(cjs.stdout).toBe('function');

    const tools = await fetch(`${url}/v1/tools`, { headers: { authorization: `Bearer ${key('read')}` } });
    const echo = ((await tools.json()) as ToolListResponse).tools.find((tool) => tool.name === 'packaged-echo');
    expect(echo).toMatchObject({ calls: 1, errors: 0 });
  });
});
