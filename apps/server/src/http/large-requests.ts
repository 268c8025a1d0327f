import type { MiddlewareHandler } from 'hono';

/** Bodies larger than this (bytes) are large: reading and starting them takes long steps. */
export const LARGE_BODY_BYTES = 256 * 1024;

/**
 * Handles large `POST`/`PUT` requests one at a time, each received in full
 * first. Their steps (parse, validate, start a run of 100,000 layers) take a
 * few hundred ms each and await the event loop's next turn between them; run
 * side by side, every waiting request's step would go in the same turn and
 * other requests (`/api/health`) would wait for all of them. One at a time,
 * they wait for one step at most. Small requests never wait here.
 */
export function largeRequestsInTurn(): MiddlewareHandler {
  let tail: Promise<unknown> = Promise.resolve();
  return async (c, next) => {
    if (c.req.method !== 'POST' && c.req.method !== 'PUT') return next();
    const length = Number(c.req.header('content-length'));
    if (Number.isFinite(length) && length <= LARGE_BODY_BYTES) return next();
    // Received outside the turn (a slow client holds no one up); the request keeps the text.
    await c.req.text();
    const turn = tail.then(() => next());
    tail = turn.catch(() => {});
    await turn;
  };
}
