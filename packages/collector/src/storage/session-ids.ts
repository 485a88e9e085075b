import { createHash } from 'node:crypto';

const TIME_DIGITS = 9; // base 36 milliseconds: fixed width until the year 5188

/**
 * `ses_` + 24 characters: the start time in base 36 then SHA-256 of the
 * session's identity (project, key, earliest event), or SHA-256 alone for
 * transport sessions. Time-led ids append to indexes (ADR 0201).
 */
export function deriveSessionId(identity: string, startedAt: number | null): string {
  const hash = createHash('sha256').update(identity).digest('hex');
  if (startedAt === null) return `ses_${hash.slice(0, 24)}`;
  return `ses_${startedAt.toString(36).padStart(TIME_DIGITS, '0')}${hash.slice(0, 24 - TIME_DIGITS)}`;
}
