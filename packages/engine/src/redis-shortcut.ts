import { FusyncError } from './core/errors.js';
import type { RemoteRunner } from './core/remote-runner.js';
import type { RedisOptions } from './core/types.js';

// A variable, not a literal: bundlers leave the Node-only entry out of browser builds.
const REDIS_ENTRY = 'fusync/redis';

/** Loads the Redis backend lazily, so the main entry never reaches BullMQ or ioredis. */
export async function loadRedisRunner(options: RedisOptions | undefined): Promise<RemoteRunner> {
  let module: { createRedisRunner?: (options: RedisOptions | undefined) => RemoteRunner };
  try {
    module = (await import(/* @vite-ignore */ REDIS_ENTRY)) as typeof module;
  } catch (error) {
    throw new FusyncError(
      'UNSUPPORTED_ENVIRONMENT',
      `\`useRedis: true\` needs Node.js with \`bullmq\` and \`ioredis\` installed (npm i bullmq ioredis): ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (typeof module.createRedisRunner !== 'function') {
    throw new FusyncError(
      'UNSUPPORTED_ENVIRONMENT',
      '`fusync/redis` does not provide `createRedisRunner`.',
    );
  }
  return module.createRedisRunner(options);
}
