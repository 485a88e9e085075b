/**
 * What every example shares: how users are told apart (a bearer token names
 * the user, as an auth layer would), and where events go.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestContext, TrackOptions } from 'mcptrail';

/** `Authorization: Bearer alice-token` → alice. No token: anonymous. */
export function identifyByBearer(_request: unknown, context: RequestContext) {
  const match = /^Bearer\s+(\S+)-token$/i.exec(context.headers?.authorization ?? '');
  return match?.[1] ? { userId: match[1], userName: match[1] } : null;
}

/** Collector URL and key from the environment (MCPTRAIL_ENDPOINT, MCPTRAIL_KEY), overridable. */
export function trackOptions(extra: TrackOptions = {}): TrackOptions {
  return { identify: identifyByBearer, ...extra };
}

/** Whether this module is the script node/tsx was started with. */
function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  return moduleUrl === new URL(`file://${entry.startsWith('/') ? '' : `${process.cwd()}/`}${entry}`).href;
}

export interface RunningExample {
  url: string;
  close(): Promise<void>;
}

/** `http` listening on 127.0.0.1:`port` (0: any free port), MCP endpoint at `/mcp`; closing ends its connections. */
export async function listen(http: Server, port: number): Promise<RunningExample> {
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/**
 * Serves the example on `port` when it is the script node/tsx was started with (not when a test imports it), with
 * conversation tokens when started with `--conversation-token`, and says where.
 */
export async function serveWhenMain(
  moduleUrl: string,
  name: string,
  port: number,
  start: (port: number, options: TrackOptions) => Promise<RunningExample>,
): Promise<void> {
  if (!isMain(moduleUrl)) return;
  const running = await start(port, trackOptions({ conversationToken: process.argv.includes('--conversation-token') }));
  console.log(`${name} on ${running.url}`);
}
