/**
 * Vitest global setup: a private, throw-away `redis-server` for the Redis
 * tests, on a free loopback port, with no persistence. Its URL reaches the
 * tests through `inject('redisUrl')` and `process.env.REDIS_URL`. When
 * `REDIS_URL` is already set, that server is used and none is started.
 *
 * Never the shared 6379, never a flush: each test works under its own key
 * prefix and deletes only its own keys.
 */
import { type PrivateRedis, startRedisServer } from '@fusync/private-redis';
import type { TestProject } from 'vitest/node';

export { type PrivateRedis, startRedisServer } from '@fusync/private-redis';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the Redis the tests use; empty when none could be started. */
    redisUrl: string;
    /** Why `redisUrl` is empty. */
    redisUnavailable: string;
    /**
     * Seed nodes (`host:port,…`) of the private Redis Cluster the tests run
     * on instead (`vitest.cluster.config.ts`); empty on one Redis.
     */
    redisCluster: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.REDIS_URL;
  if (given) {
    project.provide('redisUrl', given);
    project.provide('redisUnavailable', '');
    project.provide('redisCluster', '');
    return async () => {};
  }
  project.provide('redisCluster', '');
  let server: PrivateRedis;
  try {
    server = await startRedisServer();
  } catch (error) {
    // The in-memory tests still run; the Redis tests fail with this reason.
    project.provide('redisUrl', '');
    project.provide(
      'redisUnavailable',
      `Could not start a private redis-server (${(error as Error).message}). Install redis-server or set REDIS_URL.`,
    );
    return async () => {};
  }
  process.env.REDIS_URL = server.url;
  project.provide('redisUrl', server.url);
  project.provide('redisUnavailable', '');
  return async () => {
    await server.stop();
    delete process.env.REDIS_URL;
  };
}
