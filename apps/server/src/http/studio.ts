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
  app.use(
    '*',
    serveStatic({
      root,
      onFound: (path, c) => {
        // Vite fingerprints everything under assets/; index.html must be revalidated to pick up new builds.
        c.header('Cache-Control', path.includes(`${join(root, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  app.get('*', async (c, next) => {
    if (looksLikeFile(c.req.path)) return c.notFound();
    c.header('Cache-Control', 'no-cache');
    return serveStatic({ root, path: 'index.html' })(c, next);
  });
  return app;
}
