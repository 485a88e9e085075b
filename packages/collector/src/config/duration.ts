const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `90s`, `2h`, `1500ms`; a bare number is seconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration; use e.g. 30m, 90s, 2h or a number of seconds`);
  const ms = Number(match[1]) * UNITS[(match[2] ?? 's').toLowerCase()]!;
  if (!(ms > 0)) throw new Error(`"${text}" must be longer than zero`);
  return Math.round(ms);
}
