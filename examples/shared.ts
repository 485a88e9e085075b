/**
 * What every example shares: how users are told apart (a bearer token names
 * the user, as an auth layer would), and where events go.
 */
import type { RequestContext, TrackOptions } from 'mcptrail';

/** `Authorization: Bearer alice-token` → alice. No token: anonymous. */
export function identifyByBearer(_request: unknown, context: RequestContext) {
  const match = /^Bearer\s+(\S+)-token$/i.exec(context.headers?.authorization ?? '');
  return match?.[1] ? { userId: match[1], userName: match[1] } : null;
}

/** Collector URL and key from the environment (MCPTRAIL_ENDPOINT, MCPTRAIL_KEY), overridable. */
export function trackOptions(extra: TrackOptions = {}): TrackOptions {
  return { identify: identifyByBearer, ...extra };
}

/** Whether this module is the script node/tsx was started with. */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  return moduleUrl === new URL(`file://${entry.startsWith('/') ? '' : `${process.cwd()}/`}${entry}`).href;
}

export interface RunningExample {
  url: string;
  close(): Promise<void>;
}
