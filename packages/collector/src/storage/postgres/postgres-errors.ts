import type { Unavailability } from '../availability.js';

/** Node's socket errors: the server or the network between us went away. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** `pg`'s own errors for a connection that ended or never came (they carry no code). */
const LOST_CONNECTION = new RegExp(
  `^(${[
    'Connection terminated',
    'Client has encountered a connection error',
    'Client was closed',
    'timeout exceeded when trying to connect',
  ].join('|')})`,
);

/** SQLSTATEs of a server that ends or refuses sessions: it is going down, starting, or in recovery. */
const SERVER_UNREACHABLE = new Set(['57P01', '57P02', '57P03', '53300']);

/** SQLSTATEs of a server that answers but cannot write now. */
const SERVER_UNWRITABLE = new Set([
  '53100', // disk_full
  '25006', // read_only_sql_transaction: a failover left us on a standby
]);

interface PgError {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

/** The connection the error came on is gone, and with it any transaction it had open. */
export function isConnectionLost(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined)
    return NETWORK_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02';
  const message = (error as PgError | null)?.message;
  return typeof message === 'string' && LOST_CONNECTION.test(message);
}

/** Whether a `pg` error means the database cannot take work now, rather than that the statement was wrong. */
export function classifyPostgresError(error: unknown): Unavailability | null {
  const code = codeOf(error);
  const message = String((error as PgError | null)?.message ?? error);
  const reason = code ? `${code}: ${message}` : message;
  if (code && SERVER_UNWRITABLE.has(code)) return { kind: 'unwritable', reason };
  if (isConnectionLost(error) || (code !== undefined && SERVER_UNREACHABLE.has(code)))
    return { kind: 'unreachable', reason };
  return null;
}

/** A SQLSTATE or a Node error code; a connection to several addresses fails with an AggregateError of socket errors. */
function codeOf(error: unknown): string | undefined {
  const e = error as PgError | null;
  if (typeof e?.code === 'string') return e.code;
  const first = Array.isArray(e?.errors) ? (e.errors[0] as PgError | undefined) : undefined;
  return typeof first?.code === 'string' ? first.code : undefined;
}
