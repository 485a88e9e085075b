import { logOnce } from '../internal/log.js';
import type { Identify, RequestContext, RequestInfo, UserIdentity } from '../types.js';

interface CacheEntry {
  promise: Promise<UserIdentity | null>;
  user: UserIdentity | null | undefined;
}

/** Stateful sessions identify once (until a user is found); bounded, oldest forgotten first. */
const MAX_SESSIONS = 10_000;

/** `userName` is a string or nothing: anything else would make the collector refuse the whole event. */
function withValidName(user: UserIdentity): UserIdentity {
  const name: unknown = user.userName;
  if (name === undefined || name === null || typeof name === 'string') return user;
  logOnce('identify-username', 'identify() returned a userName that is not a string; it was left out');
  return { ...user, userName: null };
}

function validUser(value: unknown): UserIdentity | null {
  if (value === null || value === undefined) return null;
  const user = value as UserIdentity;
  if (typeof user === 'object' && typeof user.userId === 'string' && user.userId !== '') return withValidName(user);
  if (typeof user === 'object' && typeof user.userId === 'number')
    return withValidName({ ...user, userId: String(user.userId) });
  logOnce('identify-shape', 'identify() returned something without a string userId; the event is sent anonymous');
  return null;
}

function run(identify: Identify, request: RequestInfo, context: RequestContext): Promise<UserIdentity | null> {
  try {
    return Promise.resolve(identify(request, context)).then(validUser, (error: unknown) => {
      logOnce('identify', 'identify() threw; the event is sent anonymous', error);
      return null;
    });
  } catch (error) {
    logOnce('identify', 'identify() threw; the event is sent anonymous', error);
    return Promise.resolve(null);
  }
}

/**
 * Runs one tracker's `identify`: for every request when stateless (`sessionKey`
 * null), once per session otherwise. The cache is the tracker's own: two
 * trackers with different `identify` hooks never share an answer.
 */
export class Identifier {
  private readonly sessions = new Map<string, CacheEntry>();

  constructor(private readonly identify: Identify) {}

  start(request: RequestInfo, context: RequestContext, sessionKey: string | null): Promise<UserIdentity | null> {
    if (sessionKey === null) return run(this.identify, request, context);
    const cached = this.sessions.get(sessionKey);
    if (cached && cached.user !== null) return cached.promise;
    const entry: CacheEntry = { promise: run(this.identify, request, context), user: undefined };
    entry.promise.then((user) => {
      entry.user = user;
    });
    this.sessions.set(sessionKey, entry);
    if (this.sessions.size > MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    return entry.promise;
  }
}

/** The user, or null once `timeoutMs` since `startedAt` has passed (the event then goes anonymous). */
export function awaitIdentity(
  promise: Promise<UserIdentity | null>,
  startedAt: number,
  timeoutMs: number,
): Promise<UserIdentity | null> {
  const remaining = startedAt + timeoutMs - Date.now();
  if (remaining <= 0) return Promise.race([promise, Promise.resolve(null)]);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      logOnce('identify-timeout', `identify() took longer than ${timeoutMs} ms; the event is sent anonymous`);
      resolve(null);
    }, remaining);
    timer.unref?.();
    promise.then(
      (user) => {
        clearTimeout(timer);
        resolve(user);
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
    );
  });
}
