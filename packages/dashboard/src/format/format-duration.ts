/** A duration for people: `0.4 ms`, `340 ms`, `1.25 s`, `2m 05s`, `1h 02m`, `3d 4h`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)}h ${pad(minutes % 60)}m`;
  const hours = Math.round(minutes / 60);
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** A setting's length, whole minutes or hours shown without the zero part: `30m`, `1h`, `1h 30m`. */
export function formatWholeDuration(ms: number): string {
  return formatDuration(ms).replace(/ 00[sm]$/, '');
}

/** An offset from the start of a session: `+0 ms`, `+1.25 s`, `+2m 05s`. */
export function formatOffset(ms: number): string {
  return `+${formatDuration(Math.max(0, ms))}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
