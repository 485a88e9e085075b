import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { hashKey } from '../projects/keys.js';
import type { KeyAccess, ProjectRecord, Store } from '../storage/store.js';
import { apiError } from './api-error.js';

export type AuthEnv = { Variables: { project: ProjectRecord } };

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? match[1]! : null;
}

/** Resolves the project of a bearer key that grants `access`; every query is scoped to it. */
export function requireKey(store: Store, access: KeyAccess) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) throw apiError(401, 'unauthorized', 'send the project key as "Authorization: Bearer <key>"');
    const found = await store.findProjectByKeyHash(hashKey(token));
    if (!found) throw apiError(401, 'unauthorized', 'unknown key');
    if (found.access !== access) {
      throw apiError(
        403,
        'forbidden',
        access === 'write'
          ? 'this is a read key; sending events needs the write key'
          : 'this is a write key; queries need the read key',
      );
    }
    c.set('project', found.project);
    await next();
  });
}

/** Lets through requests that carry the admin token; none are let through when the collector has no token. */
export function requireAdminToken(adminToken: string | null) {
  return createMiddleware(async (c, next) => {
    if (!adminToken) {
      throw apiError(403, 'forbidden', 'managing projects over HTTP needs MCPTRAIL_ADMIN_TOKEN set on the collector');
    }
    const token = bearerToken(c.req.header('authorization'));
    if (!token || !sameSecret(token, adminToken)) {
      throw apiError(401, 'unauthorized', 'send the admin token as "Authorization: Bearer <token>"');
    }
    await next();
  });
}

/** Compares digests, so that the time taken says nothing about the secret, its length included. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
