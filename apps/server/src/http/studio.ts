import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Fusync server</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Fusync server is running</h1>
<p>The studio has not been built, so there is nothing to show here yet. Build it with</p>
<pre>pnpm --filter @fusync/studio build</pre>
<p>and restart the server (or point <code>FUSYNC_STUDIO_DIR</code> at a built studio).
The API answers under <a href="/api/health"><code>/api</code></a>.</p>
</body>
</html>
`;

/** A last path segment with a dot names a file: a missing one is a 404, not the app shell. */
const looksLikeFile = (path: string): boolean => /\.[^/]*$/.test(path);

/**
 * Serves the built studio from `directory` with a single-page-app fallback
 * (unknown paths get `index.html`), or, when it has not been built, a short
 * page saying how to build it. Mounted after the API, so `/api/*` never
 * reaches it.
 */
export function studioRoutes(directory: string): Hono {
  const root = resolve(directory);
  const app = new Hono();
  if (!existsSync(join(root, 'index.html'))) {
    app.get('*', (c) => (looksLikeFile(c.req.path) ? c.notFound() : c.html(NOT_BUILT_PAGE)));
    return app;
  }
  app.use('*', async (c, next) => {
    await next();
    // Vite fingerprints everything under assets/; the app shell must be revalidated to pick up new builds.
    if (c.res.ok)
      c.res.headers.set(
        'Cache-Control',
        c.req.path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
  });
  // Source maps are not served: they would hand out the studio's sources, megabytes at a time.
  app.use('*', async (c, next) => (c.req.path.endsWith('.map') ? c.notFound() : next()));
  app.use('*', serveStatic({ root }));
  const shell = serveStatic({ root, path: 'index.html' });
  app.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    if (looksLikeFile(c.req.path)) return c.notFound();
    return shell(c, next);
  });
  return app;
}
