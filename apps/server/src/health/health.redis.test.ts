import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  type PrivateRedis,
  startRedisServer,
  usePrivateRedis,
} from '../../test-redis/private-redis.js';
import { useRedisApps } from '../../test-redis/redis-app.js';
import { jsonLinesLogger } from '../logger.js';

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
      // The tests' private redis-server persists nothing, on purpose.
      warnings: [expect.stringContaining('persists nothing')],
    });
  });

  it('warns, at start and in /api/health, of Redis settings that would lose runs, and not once they keep them', async () => {
    // Its snapshot and append-only file go to a temporary directory, not the one the tests run in.
    const dataDir = await mkdtemp(join(tmpdir(), 'fusync-redis-data-'));
    const own = await startRedisServer(undefined, { dir: dataDir });
    try {
      const lines: string[] = [];
      const logger = jsonLinesLogger((line) => lines.push(line));
      const client = new Redis(own.url);
      await client.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
      await client.call('CONFIG', 'SET', 'save', '3600 1');
      const evicting = await redisApp({ url: own.url, backendLogger: logger });
      const health = (await (await evicting.app.request('/api/health')).json()) as {
        warnings: string[];
      };
      expect(health.warnings).toEqual([
        expect.stringContaining('maxmemory-policy is allkeys-lru'),
        expect.stringContaining('only snapshots (save 3600 1)'),
      ]);
      expect(lines.filter((line) => line.includes('"level":"warn"'))).toHaveLength(2);

      await client.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
      await client.call('CONFIG', 'SET', 'appendonly', 'yes');
      client.disconnect();
      const keeping = await redisApp({ url: own.url });
      expect(await (await keeping.app.request('/api/health')).json()).not.toHaveProperty(
        'warnings',
      );
      await evicting.close();
      await keeping.close();
    } finally {
      await own.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
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
      expect(await res.json()).toMatchObject({
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
