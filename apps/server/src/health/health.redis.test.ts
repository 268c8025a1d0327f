import { describe, expect, it } from 'vitest';
import {
  type PrivateRedis,
  startRedisServer,
  usePrivateRedis,
} from '../../test-redis/private-redis.js';
import { useRedisApps } from '../../test-redis/redis-app.js';

const redis = usePrivateRedis();
const redisApp = useRedisApps(() => redis.current);

describe('GET /api/health in Redis mode', () => {
  it('reports the redis queue as ok while Redis answers', async () => {
    const { app } = await redisApp();
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      queue: 'redis',
      activeRuns: 0,
      maxActiveRuns: 1000,
    });
  });

  it('answers 503 while Redis is down (instead of waiting for it), and ok again once it is back', async () => {
    // A server of its own: stopping it must not disturb the other tests.
    const own = await startRedisServer();
    let back: PrivateRedis | undefined;
    const { app, close } = await redisApp({ url: own.url, closeAfterTest: false });
    try {
      expect((await app.request('/api/health')).status).toBe(200);
      await own.stop();
      const down = await app.request('/api/health');
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: 'unavailable', queue: 'redis' });

      back = await startRedisServer(own.port);
      // ioredis reconnects by itself (with a growing back-off); the check follows it.
      let res = await app.request('/api/health');
      while (res.status !== 200) {
        // A 503 is answered without I/O: give the reconnect its turn before asking again.
        await new Promise((resolve) => setTimeout(resolve, 50));
        res = await app.request('/api/health');
      }
      expect(await res.json()).toEqual({
        status: 'ok',
        queue: 'redis',
        activeRuns: 0,
        maxActiveRuns: 1000,
      });
    } finally {
      // Closing needs Redis: the backend hands its runs back through it.
      back ??= await startRedisServer(own.port);
      await close();
      await back.stop();
    }
  });
});
