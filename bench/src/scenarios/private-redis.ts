import { type PrivateRedis, startRedisServer } from '@fusync/private-redis';

export { freePort, type PrivateRedis } from '@fusync/private-redis';

/** Runs `body` with a private redis-server, stopping it afterwards whatever happens. */
export async function withPrivateRedis<T>(body: (redis: PrivateRedis) => Promise<T>): Promise<T> {
  const redis = await startRedisServer();
  try {
    return await body(redis);
  } finally {
    await redis.stop();
  }
}
