import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { pino } from 'pino';
import { parseDuration } from '../config/duration.js';
import {
  ConfigError,
  DATA_FOLDER,
  dbSetting,
  helpOf,
  resolveSettings,
  serveSettings,
  type Setting,
} from '../config/settings.js';
import { createProject, ProjectLookupError, projectView, resolveProject, rotateKey } from '../projects/keys.js';
import { startCollector, StartupError, type RunningCollector } from '../server.js';
import type { Store } from '../storage/store.js';
import { isPostgresUrl, openStore } from '../storage/open-store.js';

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

/**
 * Declares the settings that have a flag; values arrive as text and are parsed with the environment's
 * (`resolveSettings`).
 */
function withSettings(command: Command, settings: Record<string, Setting<unknown>>): Command {
  for (const setting of Object.values(settings)) if (setting.flag) command.option(setting.flag, helpOf(setting));
  const secrets = Object.values(settings).filter((setting) => !setting.flag);
  if (secrets.length)
    command.addHelpText(
      'after',
      `\nEnvironment only:\n${secrets.map((s) => `  ${s.env.join(', ')}  ${s.description}`).join('\n')}`,
    );
  return command;
}

/** The default data folder is made on first use; any other folder must exist, or a typo would start a fresh project. */
function prepareDataFolder(db: string): void {
  if (!isPostgresUrl(db) && dirname(resolve(db)) === resolve(DATA_FOLDER)) mkdirSync(DATA_FOLDER, { recursive: true });
}

withSettings(program.command('serve').description('run the collector and the dashboard'), serveSettings).action(
  async (flags: Record<string, string | undefined>) => {
    const config = resolveSettings(serveSettings, flags, process.env);
    // Written synchronously: the collector logs little, and the asynchronous destination's
    // flush at exit loops forever once stdout is closed (EPIPE). Sync mode stops logging instead.
    const logger = pino(
      { level: config.logLevel, base: { service: 'mcptrail' } },
      pino.destination({ dest: 1, sync: true }),
    );
    prepareDataFolder(config.db);
    let collector: RunningCollector;
    try {
      // Settings named as the collector's options pass as they are; durations are milliseconds there.
      collector = await startCollector({
        ...config,
        sessionTimeoutMs: config.sessionTimeout,
        queryTimeoutMs: config.queryTimeout,
        readTimeoutMs: config.readTimeout,
        adminToken: config.adminToken ?? null,
        logger,
      });
    } catch (error) {
      if (!(error instanceof StartupError)) throw error;
      process.stderr.write(`mcptrail: ${error.message}\n`);
      process.exit(1);
    }
    process.stdout.write(
      `${await keysNote(collector, config.adminToken)}mcptrail collector and dashboard on ${collector.url}\n`,
    );
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      collector.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  },
);

/**
 * What a start says about keys: those of the project it just created, shown this
 * once; else, without an admin token, how to get new ones (stored keys are hashes).
 */
async function keysNote(collector: RunningCollector, adminToken: string | undefined): Promise<string> {
  const created = collector.createdProject;
  if (created) {
    return (
      `\nCreated project "default" (${created.id}). Keys are shown only now:\n` +
      `  write key (SDK, MCPTRAIL_KEY): ${created.writeKey}\n` +
      `  read key (dashboard, API):     ${created.readKey}\n\n`
    );
  }
  if (adminToken) return '';
  const count = (await collector.store.listProjects()).length;
  return (
    `${count} project${count === 1 ? '' : 's'} in this database; keys are shown only when created: ` +
    '`mcptrail projects rotate-key NAME --read` (or --write) makes a new one, `mcptrail projects list` names them.\n'
  );
}

/** Opens the database `--db` or the environment names for one command, and closes it after. */
async function withStore<T>(
  flags: { db?: string },
  work: (store: Store) => Promise<T>,
  { create = false } = {},
): Promise<T> {
  const { db } = resolveSettings({ db: dbSetting }, { db: flags.db }, process.env);
  // Only creating a project may start a database: listing or rotating on a mistyped path must not make an empty one.
  if (create) prepareDataFolder(db);
  else if (!isPostgresUrl(db) && !existsSync(db))
    throw new ConfigError(`no database at ${db}; give --db (or MCPTRAIL_DB) the one the collector uses`);
  const store = await openStore({ db, sessionTimeoutMs: parseDuration(serveSettings.sessionTimeout.default) });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const print = (json: boolean | undefined, value: unknown, text: () => string) =>
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : text());

const projects = program.command('projects').description('manage projects (names need not be unique; ids are)');
withSettings(projects.command('create <name>').description('create a project and print its keys (shown once)'), {
  db: dbSetting,
})
  .option('--json', 'print the keys as JSON')
  .action((name: string, flags: { db?: string; json?: boolean }) =>
    withStore(
      flags,
      async (store) => {
        const project = await createProject(store, name);
        print(flags.json, project, () => {
          const keys = `  write key: ${project.writeKey}\n  read key:  ${project.readKey}\n`;
          return `Created project "${project.name}" (${project.id}). Keys are shown only now:\n${keys}`;
        });
      },
      { create: true },
    ),
  );

withSettings(projects.command('list').description('list the projects: names, ids, creation dates (never keys)'), {
  db: dbSetting,
})
  .option('--json', 'print {"projects": [...]} as JSON')
  .action((flags: { db?: string; json?: boolean }) =>
    withStore(flags, async (store) => {
      const list = (await store.listProjects()).map(projectView);
      const rows = list.map((p) => [p.name, p.id, p.createdAt]);
      print(flags.json, { projects: list }, () =>
        rows.length ? table(['NAME', 'ID', 'CREATED'], rows) : 'No projects in this database.\n',
      );
    }),
  );

withSettings(
  projects
    .command('rotate-key <name-or-id>')
    .description('replace a key of a project and print the new one (shown once); the old key stops working at once'),
  { db: dbSetting },
)
  .option('--write', 'replace the write key (SDKs)')
  .option('--read', 'replace the read key (dashboard, API)')
  .option('--json', 'print the new key as JSON')
  .action((ref: string, flags: { db?: string; json?: boolean; write?: boolean; read?: boolean }) => {
    if (Boolean(flags.write) === Boolean(flags.read))
      throw new ConfigError('rotate-key needs one of --write or --read');
    const kind = flags.write ? 'write' : 'read';
    return withStore(flags, async (store) => {
      const rotated = await rotateKey(store, await resolveProject(store, ref), kind);
      print(flags.json, rotated, () => {
        const what = `New ${kind} key of project "${rotated.name}" (${rotated.id})`;
        return `${what}, shown only now; the old one no longer works:\n  ${rotated.key}\n`;
      });
    });
  });

/** Rows under a header, each column as wide as its longest cell. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  return [header, ...rows].map((row) => `${line(row).trimEnd()}\n`).join('');
}

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`mcptrail: ${(error as Error).message}\n`);
  process.exit(error instanceof ConfigError || error instanceof ProjectLookupError ? USAGE_ERROR : 1);
});
