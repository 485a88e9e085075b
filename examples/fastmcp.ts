/**
 * fastmcp over HTTP stream. Stateless when started with
 * `FASTMCP_STATELESS=true`, `--stateless true` or `httpStream.stateless` —
 * detected by track() without the `stateless` option.
 *
 *   MCPTRAIL_KEY=wk_… npx tsx examples/fastmcp.ts --port 3004 [--stateless true] [--conversation-token]
 */
import { FastMCP } from 'fastmcp';
import { track, type TrackOptions } from 'mcptrail';
import { z } from 'zod';
import { serveWhenMain, trackOptions, type RunningExample } from './shared.js';

function buildServer(): FastMCP {
  const server = new FastMCP({ name: 'weather-fastmcp', version: '4.0.0' });
  server.addTool({
    name: 'forecast',
    description: 'Forecast for a city',
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => `Sunny in ${city}`,
  });
  return server;
}

/**
 * On `port` (fastmcp cannot tell which port 0 took); stateless as `httpStream.stateless` says, else as fastmcp's own
 * flag and variable do.
 */
export async function start(
  port: number,
  options: TrackOptions = trackOptions(),
  httpStream: { stateless?: boolean } = {},
): Promise<RunningExample> {
  const server = buildServer();
  track(server, options);
  await server.start({ transportType: 'httpStream', httpStream: { port, host: '127.0.0.1', ...httpStream } });
  return { url: `http://127.0.0.1:${port}/mcp`, close: () => server.stop() };
}

const portFlag = process.argv.indexOf('--port');
const port = Number(portFlag >= 0 ? process.argv[portFlag + 1] : (process.env.PORT ?? 3004));
await serveWhenMain(import.meta.url, 'fastmcp server', port, start);
