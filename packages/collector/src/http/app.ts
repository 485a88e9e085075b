import { setMaxListeners } from 'node:events';
import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ApiError, PathParams, ReadPath, ReadRoutes } from '@mcptrail/protocol';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ingestBatch } from '../ingest/ingest-batch.js';
import { InvalidBatchError, TooManyEventsError } from '../ingest/ingest-errors.js';
import { createProject, projectView, rotateKey } from '../projects/keys.js';
import {
  parseEventPage,
  parsePathsQuery,
  parseRange,
  parseSessionQuery,
  parseUserQuery,
  parseWhatIfQuery,
} from '../query/params.js';
import { InvalidQueryError } from '../query/query-errors.js';
import { StorageUnavailableError } from '../storage/availability.js';
import { QueryCancelledError, QueryTimeoutError, withQueryContext } from '../storage/query-context.js';
import { RangeTooLargeError } from '../storage/read-limits.js';
import type { Store } from '../storage/store.js';
import { apiError } from './api-error.js';
import {
  eventView,
  sessionDetail,
  sessionList,
  statsAnswer,
  toolDetail,
  toolList,
  toolPathsAnswer,
  userDetail,
  userList,
  whatIfAnswer,
} from './answers.js';
import { requireAdminToken, requireKey, type AuthEnv } from './auth.js';
import { mountDashboard } from './dashboard.js';
import { readJsonBody } from './read-body.js';
import { cachedReadiness } from './readiness.js';
import { parseFailureQuery } from '../query/insight-params.js';
import { clientsAnswer, failuresAnswer, sessionShapeAnswer } from './insight-answers.js';

export interface AppOptions {
  store: Store;
  logger: Logger;
  adminToken: string | null;
  dashboardDir: string | null;
}

const projectBody = z.object({ name: z.string().trim().min(1).max(200) });
const keyBody = z.object({ kind: z.enum(['write', 'read']) });

/**
 * What a 503 asks of clients while the database is unavailable: short, since outages are mostly short (a failover, a
 * restart).
 */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The domain's errors as HTTP answers, mapped here and only here (domain code
 * throws them without knowing HTTP). An outage is logged once where the store
 * reports it, not once per request.
 */
const DOMAIN_ERRORS: {
  type: new (...args: never[]) => Error;
  status: ContentfulStatusCode;
  code: string;
  message?: string;
  headers?: Record<string, string>;
}[] = [
  { type: InvalidBatchError, status: 400, code: 'invalid_batch' },
  { type: TooManyEventsError, status: 413, code: 'too_many_events' },
  { type: InvalidQueryError, status: 400, code: 'invalid_parameter' },
  { type: RangeTooLargeError, status: 400, code: 'range_too_large' },
  // The cause is for the log, not for clients.
  {
    type: StorageUnavailableError,
    status: 503,
    code: 'database_unavailable',
    message: `the database is unavailable; try again in ${RETRY_AFTER_SECONDS} s`,
    headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  },
  { type: QueryTimeoutError, status: 503, code: 'query_timeout' },
];

/** The collector's HTTP surface as a plain fetch handler (`app.fetch`), testable without a port. */
export function createApp({ store, logger, adminToken, dashboardDir }: AppOptions): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const read = requireKey(store, 'read');
  /**
   * The reads of a request stop when its client goes away (storage/query-context.ts). The signal
   * is taken before anything else: @hono/node-server fires it only if it was asked for in time.
   */
  const readsOfRequest = createMiddleware<AuthEnv>((c, next) => {
    // A read runs its statements side by side (one per time span), each listening for the disconnect until it settles.
    setMaxListeners(0, c.req.raw.signal);
    return withQueryContext({ signal: c.req.raw.signal }, next);
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    // Its client went away: nobody reads the answer (499, as proxies log it).
    if (error instanceof QueryCancelledError) return new Response(null, { status: 499 });
    const known = DOMAIN_ERRORS.find(({ type }) => error instanceof type);
    if (known)
      return c.json(
        { error: { code: known.code, message: known.message ?? error.message } } satisfies ApiError,
        known.status,
        known.headers,
      );
    logger.error({ err: error, path: c.req.path }, 'request failed');
    return c.json({ error: { code: 'internal', message: 'internal error; nothing was stored by this request' } }, 500);
  });
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  );

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

  // Each read route: the store's record, shaped into the answer `ReadRoutes` (packages/protocol) promises.
  type Answer<P extends ReadPath> = (
    c: Context<AuthEnv>,
    projectId: string,
    params: PathParams<P>,
  ) => Promise<ReadRoutes[P]['response']>;
  const route = <P extends ReadPath>(path: P, answer: Answer<P>) =>
    app.get(path, readsOfRequest, read, async (c) =>
      c.json(await answer(c, c.get('project').id, c.req.param() as unknown as PathParams<P>)),
    );
  const found = <T>(record: T | null, what: string): T => {
    if (record === null) throw apiError(404, 'not_found', `no such ${what}`);
    return record;
  };
  route('/v1/project', async (c) => ({ project: projectView(c.get('project')) }));
  route('/v1/stats', async (c, project) => statsAnswer(await store.stats(project, parseRange(c.req.query()))));
  route('/v1/insights/paths', async (c, project) =>
    toolPathsAnswer(await store.toolPaths(project, parsePathsQuery(c.req.query(), Date.now()))),
  );
  route('/v1/insights/what-if', async (c, project) =>
    whatIfAnswer(await store.whatIfSessions(project, parseWhatIfQuery(c.req.query()))),
  );
  route('/v1/insights/failures', async (c, project) => {
    const query = parseFailureQuery(c.req.query());
    return failuresAnswer(query, await store.failureClusters(project, query));
  });
  route('/v1/insights/clients', async (c, project) => {
    const range = parseRange(c.req.query());
    return clientsAnswer(range, await store.clientMatrix(project, range));
  });
  route('/v1/insights/session-shape', async (c, project) => {
    const range = parseRange(c.req.query());
    return sessionShapeAnswer(range, await store.sessionShape(project, range));
  });
  route('/v1/sessions', async (c, project) =>
    sessionList(await store.listSessions(project, parseSessionQuery(c.req.query()))),
  );
  route('/v1/sessions/:id', async (c, project, { id }) =>
    sessionDetail(found(await store.getSession(project, id, parseEventPage(c.req.query())), 'session in this project')),
  );
  route('/v1/events/:id', async (_c, project, { id }) => ({
    event: eventView(found(await store.getEvent(project, id), 'event in this project')),
  }));
  route('/v1/users', async (c, project) => userList(await store.listUsers(project, parseUserQuery(c.req.query()))));
  route('/v1/users/:id', async (_c, project, { id }) =>
    userDetail(found(await store.getUser(project, id), 'user in this project')),
  );
  route('/v1/tools', async (c, project) => toolList(await store.listTools(project, parseRange(c.req.query()))));
  route('/v1/tools/:name', async (c, project, { name }) =>
    toolDetail(found(await store.getTool(project, name, parseRange(c.req.query())), 'tool with calls in the range')),
  );
  app.all('/v1/*', (c) =>
    c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  );

  mountDashboard(app, dashboardDir);
  return app;
}

/** @hono/node-server passes Node's IncomingMessage as `env.incoming`; other runtimes have none. */
function nodeRequest(env: unknown): AsyncIterable<Uint8Array> | undefined {
  return (env as { incoming?: AsyncIterable<Uint8Array> } | undefined)?.incoming;
}
