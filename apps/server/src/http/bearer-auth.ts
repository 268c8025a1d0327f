import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Requires `Authorization: Bearer <token>`. Both sides are hashed first so
 * the comparison is constant-time whatever the lengths.
 */
export function bearerAuth(token: string): MiddlewareHandler {
  if (token.length === 0) throw new TypeError('The API token must not be empty.');
  const expected = digest(token);
  return async (c, next) => {
    // CORS preflights carry no credentials by design; the cors middleware answers them.
    if (c.req.method === 'OPTIONS') return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      throw new ApiError(
        'UNAUTHORIZED',
        header === ''
          ? 'This server requires `Authorization: Bearer <token>`.'
          : 'The bearer token is not valid.',
      );
    }
    await next();
  };
}
