import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { pino } from 'pino';
import { parseDuration } from '../config/duration.js';
import { ConfigError, DATA_FOLDER, dbSetting, helpOf, resolveSettings, serveSettings, type Setting } from '../config/settings.js';
import { createProject } from '../projects/keys.js';
import { startCollector, StartupError } from '../server.js';
import { isPostgresUrl, openStore } from '../storage/open-store.js';

const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/dist', import.meta.url));
/** Exit code of a bad flag or variable: the command was not run. */
const USAGE_ERROR = 2;

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

// What goes to stdout is for a reader; a reader that went away (EPIPE) must not stop the collector.
process.stdout.on('error', () => {});

const program = new Command('mcptrail')
  .description('Self-hosted analytics for MCP servers: collector, dashboard and tools.')
  .version(version)
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : USAGE_ERROR));

/** Declares the settings that have a flag; values arrive as text and are parsed with the environment's (`resolveSettings`). */
function withSettings(command: Command, settings: Record<string, Setting<unknown>>): Command {
  for (const setting of Object.values(settings)) if (setting.flag) command.option(setting.flag, helpOf(setting));
  const secrets = Object.values(settings).filter((setting) => !setting.flag);
  if (secrets.length) command.addHelpText('after', `\nEnvironment only:\n${secrets.map((s) => `  ${s.env.join(', ')}  ${s.description}`).join('\n')}`);
  return command;
}

/** The default data folder is made on first use; any other folder must exist, or a typo would start a fresh project. */
function prepareDataFolder(db: string): void {
  if (!isPostgresUrl(db) && dirname(resolve(db)) === resolve(DATA_FOLDER)) mkdirSync(DATA_FOLDER, { recursive: true });
}

withSettings(program.command('serve').description('run the collector and the dashboard'), serveSettings).action(async (flags: Record<string, string | undefined>) => {
  const config = resolveSettings(serveSettings, flags, process.env);
  // Written synchronously: the collector logs little, and the asynchronous destination's
  // flush at exit loops forever once stdout is closed (EPIPE). Sync mode stops logging instead.
  const logger = pino({ level: config.logLevel, base: { service: 'mcptrail' } }, pino.destination({ dest: 1, sync: true }));
  prepareDataFolder(config.db);
  let collector;
  try {
    collector = await startCollector({
      host: config.host,
      port: config.port,
      db: config.db,
      sessionTimeoutMs: config.sessionTimeout,
      adminToken: config.adminToken ?? null,
      dashboardDir: DASHBOARD_DIR,
      poolSize: config.poolSize,
      readWorkers: config.readWorkers,
      queryTimeoutMs: config.queryTimeout,
      readTimeoutMs: config.readTimeout,
      maxConnections: config.maxConnections,
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
withSettings(projects.command('create <name>').description('create a project and print its keys (shown once)'), { db: dbSetting })
  .option('--json', 'print the keys as JSON')
  .action(async (name: string, flags: { db?: string; json?: boolean }) => {
    const { db } = resolveSettings({ db: dbSetting }, { db: flags.db }, process.env);
    prepareDataFolder(db);
    const store = await openStore({ db, sessionTimeoutMs: parseDuration(serveSettings.sessionTimeout.default) });
    try {
      const project = await createProject(store, name);
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(project)}\n`
          : `Created project "${project.name}" (${project.id}). Keys are shown only now:\n  write key: ${project.writeKey}\n  read key:  ${project.readKey}\n`,
      );
    } finally {
      await store.close();
    }
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`mcptrail: ${(error as Error).message}\n`);
  process.exit(error instanceof ConfigError ? USAGE_ERROR : 1);
});
