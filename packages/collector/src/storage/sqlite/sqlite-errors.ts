import type { Unavailability } from '../availability.js';

/**
 * Primary result codes that mean the file cannot take writes now, not that the
 * statement was wrong: the disk is full or failing, another process holds the
 * write lock past the busy timeout, the file or its folder cannot be opened or
 * written. Extended codes (`SQLITE_IOERR_WRITE`) count as their primary code.
 */
const UNAVAILABLE = new Set(['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_BUSY', 'SQLITE_CANTOPEN', 'SQLITE_READONLY']);

/** Whether a `better-sqlite3` error means the database cannot take writes now. */
export function classifySqliteError(error: unknown): Unavailability | null {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !UNAVAILABLE.has(code.split('_', 2).join('_'))) return null;
  return { kind: 'unwritable', reason: `${code}: ${String(message)}` };
}
