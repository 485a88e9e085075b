/** The SDK contains its own failures: each kind is logged once, detail with MCPTRAIL_DEBUG=1. */
const seen = new Set<string>();
const counts = new Map<string, number>();

function debugEnabled(): boolean {
  return typeof process !== 'undefined' && process.env?.MCPTRAIL_DEBUG === '1';
}

export function logOnce(kind: string, message: string, error?: unknown): void {
  counts.set(kind, (counts.get(kind) ?? 0) + 1);
  const debug = debugEnabled();
  if (seen.has(kind) && !debug) return;
  seen.add(kind);
  try {
    const detail =
      error instanceof Error ? (debug ? error.stack : error.message) : error === undefined ? '' : String(error);
    console.warn(`[mcptrail] ${message}${detail ? `: ${detail}` : ''}`);
  } catch {
    // A broken console is not our problem to report.
  }
}

export function debug(message: string): void {
  if (debugEnabled()) console.warn(`[mcptrail] ${message}`);
}

/** Internal failures counted per kind, for tests and diagnostics. */
export function failureCounts(): ReadonlyMap<string, number> {
  return counts;
}

/** Runs `fn`, containing anything it throws. */
export function contain<T>(kind: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (error) {
    logOnce(kind, `internal error (${kind})`, error);
    return fallback;
  }
}
