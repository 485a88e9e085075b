import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { parseDuration } from '../config/duration.js';
import { createProject } from '../projects/keys.js';
import { startCollector, StartupError } from '../server.js';
import { openStore } from '../storage/open-store.js';

const DEFAULT_DB = '.mcptrail/mcptrail.db';
const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/dist', import.meta.url));

const env = process.env;
const duration = (value: string) => {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};
const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0–65535');
  return n;
};
const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
};
const defaultDb = () => env.MCPTRAIL_DB ?? env.DATABASE_URL ?? DEFAULT_DB;

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const program = new Command('mcptrail')
  .description('Self-hosted analytics for MCP servers: collector, dashboard and tools.')
  .version(version)
  .showHelpAfterError();

program
  .command('serve')
  .description('run the collector and the dashboard')
  .option('--port <port>', 'port to listen on (MCPTRAIL_PORT)', port, Number(env.MCPTRAIL_PORT ?? 4400))
  .option('--host <host>', 'interface to listen on (MCPTRAIL_HOST)', env.MCPTRAIL_HOST ?? '127.0.0.1')
  .option('--db <path-or-url>', 'SQLite file or postgres:// URL (MCPTRAIL_DB, DATABASE_URL)', defaultDb())
  .option('--session-timeout <duration>', 'inactivity that ends a grouped session (MCPTRAIL_SESSION_TIMEOUT)', duration, duration(env.MCPTRAIL_SESSION_TIMEOUT ?? '30m'))
  .option('--pool-size <n>', 'PostgreSQL connections per instance (MCPTRAIL_POOL_SIZE)', positive, Number(env.MCPTRAIL_POOL_SIZE ?? 10))
  .option('--log-level <level>', 'fatal, error, warn, info, debug (MCPTRAIL_LOG_LEVEL)', env.MCPTRAIL_LOG_LEVEL ?? 'info')
  .action(async (options: { port: number; host: string; db: string; sessionTimeout: number; poolSize: number; logLevel: string }) => {
    const logger = pino({ level: options.logLevel, base: { service: 'mcptrail' } });
    let collector;
    try {
      collector = await startCollector({
        host: options.host,
        port: options.port,
        db: options.db,
        sessionTimeoutMs: options.sessionTimeout,
        adminToken: env.MCPTRAIL_ADMIN_TOKEN || null,
        dashboardDir: DASHBOARD_DIR,
        poolSize: options.poolSize,
        logger,
      });
    } catch (error) {
      if (!(error instanceof StartupError)) throw error;
      process.stderr.write(`mcptrail: ${error.message}\n`);
      process.exit(1);
    }
    process.stdout.write(`mcptrail collector and dashboard on ${collector.url}\n`);
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      collector.close().then(() => process.exit(0), () => process.exit(1));
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });

const projects = program.command('projects').description('manage projects');
projects
  .command('create <name>')
  .description('create a project and print its keys (shown once)')
  .option('--db <path-or-url>', 'SQLite file or postgres:// URL (MCPTRAIL_DB, DATABASE_URL)', defaultDb())
  .option('--json', 'print the keys as JSON')
  .action(async (name: string, options: { db: string; json?: boolean }) => {
    const store = await openStore({ db: options.db, sessionTimeoutMs: duration('30m') });
    try {
      const project = await createProject(store, name);
      process.stdout.write(
        options.json
          ? `${JSON.stringify(project)}\n`
          : `Created project "${project.name}" (${project.id}). Keys are shown only now:\n  write key: ${project.writeKey}\n  read key:  ${project.readKey}\n`,
      );
    } finally {
      await store.close();
    }
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`mcptrail: ${(error as Error).message}\n`);
  process.exit(1);
});
