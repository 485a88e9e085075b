const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `90s`, `2h`, `1500ms`; a bare number is seconds. Undefined unless it is a duration of at least 1 ms. */
export function readDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!match) return undefined;
  const ms = Math.round(Number(match[1]) * UNITS[(match[2] ?? 's').toLowerCase()]!);
  return ms > 0 ? ms : undefined;
}

export const DURATION_HINT = 'use e.g. 30m, 90s, 2h or a number of seconds, longer than zero';

export function parseDuration(text: string): number {
  const ms = readDuration(text);
  if (ms === undefined) throw new Error(`"${text}" is not a duration; ${DURATION_HINT}`);
  return ms;
}
