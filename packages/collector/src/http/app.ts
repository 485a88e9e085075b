import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ingestBatch } from '../ingest/ingest-batch.js';
import { createProject, projectView, rotateKey } from '../projects/keys.js';
import { parseEventPage, parseRange, parseSessionQuery, parseUserQuery } from '../query/params.js';
import { StorageUnavailableError } from '../storage/availability.js';
import type { Store } from '../storage/store.js';
import { apiError } from './api-error.js';
import { requireAdminToken, requireKey, type AuthEnv } from './auth.js';
import { mountDashboard } from './dashboard.js';
import { readJsonBody } from './read-body.js';
import { cachedReadiness } from './readiness.js';

export interface AppOptions {
  store: Store;
  logger: Logger;
  adminToken: string | null;
  dashboardDir: string | null;
}

const projectBody = z.object({ name: z.string().trim().min(1).max(200) });
const keyBody = z.object({ kind: z.enum(['write', 'read']) });

/** What a 503 asks of clients while the database is unavailable: short, since outages are mostly short (a failover, a restart). */
export const RETRY_AFTER_SECONDS = 5;

/** The collector's HTTP surface as a plain fetch handler (`app.fetch`), testable without a port. */
export function createApp({ store, logger, adminToken, dashboardDir }: AppOptions): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const read = requireKey(store, 'read');

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    // Logged once per outage where the store reports it, not once per request.
    if (error instanceof StorageUnavailableError) {
      return c.json(
        { error: { code: 'database_unavailable', message: `the database is unavailable; try again in ${RETRY_AFTER_SECONDS} s` } },
        503,
        { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      );
    }
    logger.error({ err: error, path: c.req.path }, 'request failed');
    return c.json({ error: { code: 'internal', message: 'internal error; nothing was stored by this request' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));

  // Liveness: the process serves. Readiness: it can reach its database too.
  app.get('/healthz', (c) => c.json({ ok: true }));
  const ready = cachedReadiness(store);
  app.get('/readyz', async (c) => {
    await ready();
    return c.json({ ok: true });
  });

  app.post('/v1/events', requireKey(store, 'write'), async (c) => {
    const body = await readJsonBody(c.req.raw, nodeRequest(c.env));
    return c.json(await ingestBatch(store, c.get('project').id, body));
  });

  const admin = requireAdminToken(adminToken);
  app.post('/v1/projects', admin, async (c) => {
    const parsed = projectBody.safeParse(await readJsonBody(c.req.raw));
    if (!parsed.success) throw apiError(400, 'invalid_body', 'expected {"name": "<1–200 characters>"}');
    return c.json(await createProject(store, parsed.data.name), 201);
  });
  app.get('/v1/projects', admin, async (c) => c.json({ projects: (await store.listProjects()).map(projectView) }));
  app.post('/v1/projects/:id/keys', admin, async (c) => {
    const project = (await store.listProjects()).find((p) => p.id === c.req.param('id'));
    if (!project) throw apiError(404, 'not_found', 'no project with this id');
    const parsed = keyBody.safeParse(await readJsonBody(c.req.raw));
    if (!parsed.success) throw apiError(400, 'invalid_body', 'expected {"kind": "write"} or {"kind": "read"}');
    return c.json(await rotateKey(store, project, parsed.data.kind), 201);
  });

  app.get('/v1/project', read, (c) => c.json({ project: projectView(c.get('project')) }));
  app.get('/v1/stats', read, async (c) => c.json(await store.stats(c.get('project').id, parseRange(c.req.query()))));
  app.get('/v1/sessions', read, async (c) => c.json(await store.listSessions(c.get('project').id, parseSessionQuery(c.req.query()))));
  app.get('/v1/sessions/:id', read, async (c) => {
    const found = await store.getSession(c.get('project').id, c.req.param('id'), parseEventPage(c.req.query()));
    if (!found) throw apiError(404, 'not_found', 'no such session in this project');
    return c.json(found);
  });
  app.get('/v1/events/:id', read, async (c) => {
    const event = await store.getEvent(c.get('project').id, c.req.param('id'));
    if (!event) throw apiError(404, 'not_found', 'no such event in this project');
    return c.json({ event });
  });
  app.get('/v1/users', read, async (c) => c.json(await store.listUsers(c.get('project').id, parseUserQuery(c.req.query()))));
  app.get('/v1/users/:id', read, async (c) => {
    const found = await store.getUser(c.get('project').id, c.req.param('id'));
    if (!found) throw apiError(404, 'not_found', 'no such user in this project');
    return c.json(found);
  });
  app.get('/v1/tools', read, async (c) => c.json(await store.listTools(c.get('project').id, parseRange(c.req.query()))));
  app.get('/v1/tools/:name', read, async (c) => {
    const found = await store.getTool(c.get('project').id, c.req.param('name'), parseRange(c.req.query()));
    if (!found) throw apiError(404, 'not_found', 'no calls of this tool in the range');
    return c.json(found);
  });
  app.all('/v1/*', (c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));

  mountDashboard(app, dashboardDir);
  return app;
}

/** @hono/node-server passes Node's IncomingMessage as `env.incoming`; other runtimes have none. */
function nodeRequest(env: unknown): AsyncIterable<Uint8Array> | undefined {
  return (env as { incoming?: AsyncIterable<Uint8Array> } | undefined)?.incoming;
}
