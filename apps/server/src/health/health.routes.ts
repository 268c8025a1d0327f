import { Hono } from 'hono';

/** Which queue runs layers, and whether it answers. */
export interface HealthSource {
  queue: 'memory' | 'redis';
  /** Checks the backend (e.g. pings Redis); absent for the in-memory queue. */
  check?: () => Promise<boolean>;
}

/** `GET /api/health`: `{ status: 'ok', queue }`, or 503 with `status: 'unavailable'` when the backend does not answer. */
export function healthRoutes(source: HealthSource): Hono {
  return new Hono().get('/', async (c) => {
    const ok = source.check ? await source.check().catch(() => false) : true;
    return c.json({ status: ok ? 'ok' : 'unavailable', queue: source.queue }, ok ? 200 : 503);
  });
}
