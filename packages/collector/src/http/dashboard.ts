import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Env, Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

const PLACEHOLDER =
  '<!doctype html><meta charset="utf-8"><title>mcptrail</title>\n' +
  '<h1>mcptrail collector</h1><p>The dashboard is not built. ' +
  'The HTTP API is under <code>/v1</code> (see docs/api.md).</p>';

/** Everything shown comes from tool arguments and results: nothing but our own scripts may run (docs/dashboard.md). */
const headers = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
});

/**
 * The built dashboard the collector ships with: the `@mcptrail/dashboard` package's
 * files, found as Node finds the package (in the repository, the workspace's).
 */
export function bundledDashboardDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@mcptrail/dashboard/package.json')), 'dist');
}

/**
 * Serves the built dashboard (a single-page app) at `/`: its files where they exist, `index.html` for every app route.
 */
export function mountDashboard<E extends Env>(app: Hono<E>, dashboardDir: string | null): void {
  const indexPath = dashboardDir ? join(dashboardDir, 'index.html') : null;
  const index = indexPath && existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : PLACEHOLDER;
  app.use('*', headers);
  app.use('*', async (c, next) => {
    try {
      decodeURIComponent(c.req.path);
    } catch {
      return c.text('bad path', 400);
    }
    await next();
  });
  if (dashboardDir) {
    // Hashed names: an asset never changes under its name; a missing one is a 404, not the app.
    app.use(
      '/assets/*',
      serveStatic({
        root: dashboardDir,
        onFound: (_path, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable'),
      }),
    );
    app.get('/assets/*', (c) => c.text('not found', 404));
    app.use('*', serveStatic({ root: dashboardDir, onFound: (_path, c) => c.header('Cache-Control', 'no-cache') }));
  }
  // Anything else is an app route (e.g. /tools/fs.read_file).
  app.get('*', (c) => c.html(index, 200, { 'Cache-Control': 'no-cache' }));
}
