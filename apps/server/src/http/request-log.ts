import type { MiddlewareHandler } from 'hono';
import type { ServerLogger } from '../logger.js';

/** One log line per request: method, path, status, milliseconds. No headers, no query, no body. */
export function requestLog(logger: ServerLogger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logger.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}
