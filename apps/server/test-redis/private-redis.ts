import { type PrivateRedis, startRedisServer } from '@fusync/private-redis';
import { afterAll, beforeAll } from 'vitest';

export { freePort, type PrivateRedis, startRedisServer } from '@fusync/private-redis';

/**
 * A private redis-server for the calling test file: started before its
 * first test, stopped after its last. Read `.current` inside tests.
 */
export function usePrivateRedis(): { readonly current: PrivateRedis } {
  let server: PrivateRedis | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get current(): PrivateRedis {
      if (!server) throw new Error('The private redis-server is not running (beforeAll failed?).');
      return server;
    },
  };
}
