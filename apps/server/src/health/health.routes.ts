import { Hono } from 'hono';

/** Which queue runs layers, and whether it answers. */
export interface HealthSource {
  queue: 'memory' | 'redis';
  /** Checks the backend (e.g. pings Redis); absent for the in-memory queue. */
  check?: () => Promise<boolean>;
  /** Runs going now, and the most the server takes at once. */
  activeRuns?: () => Promise<number>;
  maxActiveRuns?: number;
  /** What could lose accepted runs (e.g. a Redis that persists nothing), found at start. */
  warnings?: readonly string[];
}

/**
 * `GET /api/health`: `{ status: 'ok', queue, activeRuns, maxActiveRuns, warnings? }`, or
 * 503 with `status: 'unavailable'` when the backend does not answer.
 */
export function healthRoutes(source: HealthSource): Hono {
  return new Hono().get('/', async (c) => {
    const ok = source.check ? await source.check().catch(() => false) : true;
    const body: Record<string, unknown> = {
      status: ok ? 'ok' : 'unavailable',
      queue: source.queue,
    };
    if (ok && source.activeRuns) {
      body.activeRuns = await source.activeRuns();
      body.maxActiveRuns = source.maxActiveRuns;
    }
    if (ok && source.warnings?.length) body.warnings = source.warnings;
    return c.json(body, ok ? 200 : 503);
  });
}
