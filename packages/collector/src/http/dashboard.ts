import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import type { Hono } from 'hono';

/** Everything shown comes from tool arguments and results: nothing but our own scripts may run. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const PLACEHOLDER = `<!doctype html><meta charset="utf-8"><title>mcptrail</title>
<h1>mcptrail collector</h1><p>The dashboard is not built. The HTTP API is under <code>/v1</code> (see docs/api.md).</p>`;

/**
 * The built dashboard the collector ships with: the `@mcptrail/dashboard` package's
 * files, found as Node finds the package (in the repository, the workspace's).
 */
export function bundledDashboardDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@mcptrail/dashboard/package.json')), 'dist');
}

/** Serves the built dashboard (a single-page app) at `/`, with a strict CSP. */
export function mountDashboard(app: Hono<any>, dashboardDir: string | null): void {
  const indexPath = dashboardDir ? join(dashboardDir, 'index.html') : null;
  const index = indexPath && existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : PLACEHOLDER;
  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
  });
  app.get('*', async (c) => {
    let path: string;
    try {
      path = normalize(decodeURIComponent(c.req.path)).replace(/^([/\\])+/, '');
    } catch {
      return c.text('bad path', 400);
    }
    // Asset-looking paths are served when the file exists; anything else is an app route (e.g. /tools/fs.read_file).
    if (dashboardDir && path && !path.split(sep).includes('..') && extname(path)) {
      const body = await readFile(join(dashboardDir, path)).catch(() => null);
      if (body) {
        return c.body(body, 200, {
          'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
          'Cache-Control': path.startsWith('assets') ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
      }
      if (path.startsWith('assets')) return c.text('not found', 404);
    }
    return c.html(index, 200, { 'Cache-Control': 'no-cache' });
  });
}
