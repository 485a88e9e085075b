import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { isPostgresUrl } from '../storage/open-store.js';
import { DURATION_HINT, readDuration } from './duration.js';

/** Where the SQLite file lives unless told otherwise; the one folder the collector creates itself. */
export const DATA_FOLDER = '.mcptrail';
export const DEFAULT_DB = `${DATA_FOLDER}/mcptrail.db`;

/**
 * One setting, from a flag or the environment: both go through `schema`, so an
 * environment variable is checked exactly as its flag is.
 */
export interface Setting<T> {
  /** As commander declares it (`--port <port>`); none for secrets, which stay out of `ps`. */
  flag?: string;
  /** Environment variables, the first one set wins. */
  env: readonly string[];
  /** The default as a user writes it (`30m`); none: unset. */
  default?: string;
  /** Never repeated in messages. */
  secret?: boolean;
  description: string;
  schema: z.ZodType<T, string>;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const wholeNumber = (min: number, max: number, what = `a whole number from ${min} to ${max}`) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be ${what}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be ${what}`).max(max, `must be ${what}`));

const duration = z.string().transform((text, ctx) => {
  const ms = readDuration(text);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: `is not a duration; ${DURATION_HINT}` });
  return ms ?? z.NEVER;
});

/** A SQLite path whose folder exists (a typo must not start a fresh project elsewhere), or a PostgreSQL URL. */
const database = z.string().superRefine((db, ctx) => {
  if (isPostgresUrl(db)) {
    if (!URL.canParse(db)) ctx.addIssue({ code: 'custom', message: 'is not a valid postgres:// URL' });
    return;
  }
  if (db === ':memory:') return;
  const folder = dirname(resolve(db));
  if (folder === resolve(DATA_FOLDER)) return;
  const stat = statSync(folder, { throwIfNoEntry: false });
  if (!stat)
    ctx.addIssue({
      code: 'custom',
      message: `the folder ${folder} does not exist (only the default ${DATA_FOLDER}/ is created)`,
    });
  else if (!stat.isDirectory()) ctx.addIssue({ code: 'custom', message: `${folder} is not a folder` });
});

export const dbSetting = {
  flag: '--db <path-or-url>',
  env: ['MCPTRAIL_DB', 'DATABASE_URL'],
  default: DEFAULT_DB,
  description: 'SQLite file or postgres:// URL',
  schema: database,
} satisfies Setting<string>;

/** Everything `mcptrail serve` takes. */
export const serveSettings = {
  port: {
    flag: '--port <port>',
    env: ['MCPTRAIL_PORT'],
    default: '4400',
    description: 'port to listen on',
    schema: wholeNumber(0, 65535, 'a port number (0–65535)'),
  },
  host: {
    flag: '--host <host>',
    env: ['MCPTRAIL_HOST'],
    default: '127.0.0.1',
    description: 'interface to listen on',
    schema: z.string().trim().min(1, 'must not be empty'),
  },
  db: dbSetting,
  sessionTimeout: {
    flag: '--session-timeout <duration>',
    env: ['MCPTRAIL_SESSION_TIMEOUT'],
    default: '30m',
    description: 'inactivity that ends a grouped session; a bare number is seconds',
    schema: duration,
  },
  poolSize: {
    flag: '--pool-size <n>',
    env: ['MCPTRAIL_POOL_SIZE'],
    default: '10',
    description: 'PostgreSQL connections per instance: 2 write, the rest (at least 1) serve queries',
    schema: wholeNumber(1, 1000),
  },
  readWorkers: {
    flag: '--read-workers <n>',
    env: ['MCPTRAIL_READ_WORKERS'],
    default: '2',
    description: 'SQLite: threads that run queries, each with a read-only connection',
    schema: wholeNumber(1, 64),
  },
  queryTimeout: {
    flag: '--query-timeout <duration>',
    env: ['MCPTRAIL_QUERY_TIMEOUT'],
    default: '15s',
    description: 'longest a query may run; then it is stopped and answered 503 query_timeout',
    schema: duration,
  },
  logLevel: {
    flag: '--log-level <level>',
    env: ['MCPTRAIL_LOG_LEVEL'],
    default: 'info',
    description: LOG_LEVELS.join(', '),
    schema: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  },
  readTimeout: {
    flag: '--read-timeout <duration>',
    env: ['MCPTRAIL_READ_TIMEOUT'],
    default: '30s',
    description: 'longest a client may take to send a whole request, body included (then 408)',
    schema: duration,
  },
  maxConnections: {
    flag: '--max-connections <n>',
    env: ['MCPTRAIL_MAX_CONNECTIONS'],
    default: '1000',
    description: 'open connections at most; more are refused',
    schema: wholeNumber(1, 1_000_000),
  },
  insightsMaxEvents: {
    flag: '--insights-max-events <n>',
    env: ['MCPTRAIL_INSIGHTS_MAX_EVENTS'],
    default: '2000000',
    description: 'most events one paths or what-if answer reads; a larger range is refused (400 range_too_large)',
    schema: wholeNumber(1, 1_000_000_000),
  },
  adminToken: {
    env: ['MCPTRAIL_ADMIN_TOKEN'],
    secret: true,
    description: 'enables POST /v1/projects (at least 16 characters)',
    schema: z.string().min(16, 'must be at least 16 characters'),
  },
} satisfies Record<string, Setting<unknown>>;

/** The parsed values: a setting without a default may be unset. */
export type Settings<S extends Record<string, Setting<unknown>>> = {
  [K in keyof S]: S[K] extends Setting<infer T> ? (S[K] extends { default: string } ? T : T | undefined) : never;
};

/** A value that fails its setting's schema; the message names the flag or variable it came from. */
export class ConfigError extends Error {}

/**
 * Each setting from its flag, else its first environment variable that is set
 * (empty counts as unset), else its default, parsed by its schema.
 */
export function resolveSettings<S extends Record<string, Setting<unknown>>>(
  settings: S,
  flags: Record<string, string | undefined>,
  env: Record<string, string | undefined>,
): Settings<S> {
  const resolved: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(settings)) {
    const variable = setting.env.find((name) => env[name]);
    const [where, text] =
      flags[key] !== undefined
        ? [setting.flag!.split(' ')[0]!, flags[key]]
        : variable
          ? [variable, env[variable]!]
          : ['the default', setting.default];
    if (text === undefined) continue;
    const parsed = setting.schema.safeParse(text);
    if (!parsed.success) {
      const value = setting.secret ? '' : ` ${JSON.stringify(text)}`;
      throw new ConfigError(`${where}${value}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    resolved[key] = parsed.data;
  }
  return resolved as Settings<S>;
}

/** How a setting reads in `--help`: its description, then its default and variables as a user writes them. */
export function helpOf(setting: Setting<unknown>): string {
  const extras = [
    ...(setting.default === undefined ? [] : [`default: ${setting.default}`]),
    `env: ${setting.env.join(', ')}`,
  ];
  return `${setting.description} (${extras.join('; ')})`;
}
