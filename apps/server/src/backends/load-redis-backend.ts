import type { Backend, RedisBackendOptions } from './backend.js';

// A variable keeps TypeScript from requiring the module at build time: Redis mode is optional.
const REDIS_BACKEND = './redis.js';

/** Redis mode is not available in this build, or its module is broken. */
export class RedisBackendUnavailableError extends Error {
  override name = 'RedisBackendUnavailableError';
}

/**
 * Loads `./redis.js` only when `REDIS_URL` or `FUSYNC_REDIS_CLUSTER` is set, so the embedded mode never
 * loads BullMQ or ioredis.
 */
export async function loadRedisBackend(options: RedisBackendOptions): Promise<Backend> {
  const url = new URL(REDIS_BACKEND, import.meta.url);
  const variable = options.cluster ? 'FUSYNC_REDIS_CLUSTER' : 'REDIS_URL';
  let module: { createRedisBackend?: (options: RedisBackendOptions) => Promise<Backend> };
  try {
    module = (await import(url.href)) as typeof module;
  } catch (error) {
    const missing =
      (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
      String((error as Error).message).includes(url.pathname);
    throw new RedisBackendUnavailableError(
      missing
        ? `${variable} is set, but this build of @fusync/server has no Redis backend (${url.pathname} is missing). Unset ${variable} to use the in-memory queue.`
        : `${variable} is set, but the Redis backend failed to load: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (typeof module.createRedisBackend !== 'function') {
    throw new RedisBackendUnavailableError(
      `${url.pathname} does not export \`createRedisBackend(options)\`.`,
    );
  }
  return module.createRedisBackend(options);
}
