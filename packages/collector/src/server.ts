import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { ProjectCreated } from '@mcptrail/protocol';
import type { Logger } from 'pino';
import { createApp } from './http/app.js';
import { bundledDashboardDir } from './http/dashboard.js';
import { createFirstProject } from './projects/keys.js';
import { Availability, type AvailabilityChange } from './storage/availability.js';
import { isPostgresUrl, openStore } from './storage/open-store.js';
import type { Store } from './storage/store.js';

export interface CollectorConfig {
  host: string;
  port: number;
  /** SQLite file path or `postgres://` URL. */
  db: string;
  sessionTimeoutMs: number;
  adminToken: string | null;
  /** Built dashboard files to serve at `/`; default: those of the `@mcptrail/dashboard` package; null: none. */
  dashboardDir?: string | null;
  poolSize?: number;
  /** SQLite: threads that run queries (default 2). */
  readWorkers?: number;
  /** Longest a query may run (default 15 s); then 503 `query_timeout`. */
  queryTimeoutMs?: number;
  /** Longest a client may take to send a whole request, body included (default 30 s); then 408. */
  readTimeoutMs?: number;
  /** Open connections at most (default 1000); more are refused. */
  maxConnections?: number;
  /** Most events one paths or what-if answer reads (default 2,000,000). */
  insightsMaxEvents?: number;
  logger: Logger;
}

export interface RunningCollector {
  url: string;
  store: Store;
  /**
   * The `default` project this start created (no admin token, empty database), with its keys:
   * only their hashes are stored, so this is the one chance to show them. Null otherwise.
   */
  createdProject: ProjectCreated | null;
  /** Stops accepting, finishes in-flight requests, closes the database. */
  close(): Promise<void>;
}

export class StartupError extends Error {}

export async function startCollector(config: CollectorConfig): Promise<RunningCollector> {
  const { logger } = config;
  const availability = new Availability();
  availability.onChange(logAvailability(logger));
  let store: Store;
  try {
    // The database's options are the collector's own, under the same names.
    store = await openStore({ ...config, insightEventLimit: config.insightsMaxEvents, availability });
  } catch (error) {
    const where = isPostgresUrl(config.db) ? 'the PostgreSQL database' : `the database file ${config.db}`;
    throw new StartupError(`cannot open ${where}: ${(error as Error).message}`);
  }
  // Without an admin token the API cannot create projects, so an empty database gets one to start with.
  const createdProject = config.adminToken ? null : await createFirstProject(store, 'default');

  const dashboardDir = config.dashboardDir === undefined ? bundledDashboardDir() : config.dashboardDir;
  const app = createApp({ store, logger, adminToken: config.adminToken, dashboardDir });
  const readTimeoutMs = config.readTimeoutMs ?? 30_000;
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const serverOptions = {
        requestTimeout: readTimeoutMs,
        headersTimeout: Math.min(readTimeoutMs, 60_000),
        // How often those timeouts are checked (default 30 s, which would stretch a short one).
        connectionsCheckingInterval: Math.min(readTimeoutMs, 1000),
        // Idle connections outlive the clients' and load balancers' own idle timeouts (60 s is common), so the
        // collector is not the side that closes a connection just as a client sends on it (Node's default is 5 s).
        keepAliveTimeout: 65_000,
      };
      const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port, serverOptions }, () =>
        resolve(s as Server),
      ) as Server;
      s.once('error', reject);
    });
  } catch (error) {
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new StartupError(`port ${config.port} on ${config.host} is already in use; pick another with --port`);
    if (code === 'EACCES') throw new StartupError(`no permission to listen on ${config.host}:${config.port}`);
    throw new StartupError(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  server.on('error', (error) => logger.error({ err: error }, 'server error'));
  server.maxConnections = config.maxConnections ?? 1000;
  let closing: Promise<void> | null = null;
  // Keep-alive clients would hold a connection open after its last answer until their own timeout;
  // answers written once closing has begun tell them to let go.
  const answering = new Set<ServerResponse>();
  server.on('request', (_request, response: ServerResponse) => {
    if (closing) response.setHeader('Connection', 'close');
    answering.add(response);
    response.once('close', () => answering.delete(response));
  });
  const address = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  logger.info(
    { url, db: isPostgresUrl(config.db) ? 'postgres' : config.db, sessionTimeoutMs: config.sessionTimeoutMs },
    'collector listening',
  );

  return {
    url,
    store,
    createdProject,
    close: () =>
      (closing ??= (async () => {
        for (const response of answering) if (!response.headersSent) response.setHeader('Connection', 'close');
        // close() waits for in-flight requests and drops idle keep-alive connections.
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await store.close();
        logger.info('collector stopped');
      })()),
  };
}

/** The log names each outage's cause once, and its end once, however many requests it refused. */
function logAvailability(logger: Logger): (change: AvailabilityChange) => void {
  return (change) => {
    if (change.available)
      logger.info(
        { unavailableMs: change.unavailableMs },
        `database available again after ${(change.unavailableMs / 1000).toFixed(1)} s`,
      );
    else
      logger.error(
        { err: change.error.cause },
        `database unavailable: ${change.error.reason}; answering 503 until it is back`,
      );
  };
}
