import type { RunEvent } from 'fusync';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { usePrivateRedis } from '../../test-redis/private-redis.js';
import { useRedisApps } from '../../test-redis/redis-app.js';
import { json, ORDER_INPUT, orderSequence } from '../test-support/fixtures.js';
import { RedisSequenceStore } from './redis-sequence-store.js';
import { describeSequenceRoutes, sequenceNames } from './sequence-routes.contract.js';

const redis = usePrivateRedis();
const redisApp = useRedisApps(() => redis.current);

/** The stored sequences hash, read straight from Redis: name → the stored sequence. */
async function storedInRedis(url: string): Promise<Record<string, unknown>> {
  const client = new Redis(url);
  try {
    const all = await client.hgetall('fusync:sequences');
    return Object.fromEntries(
      Object.entries(all).map(([name, text]) => [
        name,
        (JSON.parse(text) as { sequence: unknown }).sequence,
      ]),
    );
  } finally {
    client.disconnect();
  }
}

// Each test gets an app over a fresh database of this file's redis-server.
describeSequenceRoutes('in Redis mode', async (options = {}) => {
  const { app, runs, operations, url } = await redisApp(options);
  return { app, runs, operations, stored: () => storedInRedis(url) };
});

describe('/api/sequences in Redis mode', () => {
  it('keeps deployments with different key prefixes apart on one Redis', async () => {
    const staging = await redisApp({ prefix: 'staging' });
    const production = await redisApp({ url: staging.url, prefix: 'production' });
    await staging.app.request('/api/sequences/order', json('PUT', orderSequence()));
    expect((await production.app.request('/api/sequences/order')).status).toBe(404);
    expect(await (await production.app.request('/api/sequences')).json()).toEqual({
      sequences: [],
    });

    const started = await staging.app.request(
      '/api/runs',
      json('POST', { sequence: orderSequence(), input: ORDER_INPUT }),
    );
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    let finished: RunEvent | undefined;
    for await (const event of staging.runs.events(runId))
      if (event.type === 'run:finished') finished = event;
    expect(finished).toMatchObject({ status: 'succeeded' });
    expect(await (await production.app.request('/api/runs')).json()).toEqual({ runs: [] });
    expect((await production.app.request(`/api/runs/${runId}`)).status).toBe(404);

    const client = new Redis(staging.url);
    try {
      const keys = await client.keys('*');
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((key) => !/^(staging|production):/.test(key))).toEqual([]);
      expect(keys.some((key) => key.startsWith('staging:run:'))).toBe(true);
    } finally {
      client.disconnect();
    }
  });

  it('shares stored sequences between servers on the same Redis', async () => {
    const first = await redisApp();
    await first.app.request('/api/sequences/order', json('PUT', orderSequence()));
    const second = await redisApp({ url: first.url });
    expect(await (await second.app.request('/api/sequences/order')).json()).toEqual(
      orderSequence(),
    );
    expect((await second.app.request('/api/sequences/order', { method: 'DELETE' })).status).toBe(
      204,
    );
    expect(await sequenceNames(first.app)).toEqual([]);
  });

  it('lists a stored sequence that no longer reads back with its error instead of failing the whole list', async () => {
    const { app, url } = await redisApp();
    await app.request('/api/sequences/good', json('PUT', orderSequence()));
    // As a newer or older server might have left it: a sequence this version cannot read.
    const client = new Redis(url);
    try {
      await client.hset(
        'fusync:sequences',
        'stale',
        JSON.stringify({ updatedAt: 1, sequence: { ...orderSequence(), version: 99 } }),
      );
    } finally {
      client.disconnect();
    }
    const res = await app.request('/api/sequences');
    expect(res.status).toBe(200);
    const { sequences } = (await res.json()) as { sequences: { name: string; error?: string }[] };
    expect(sequences.map((s) => s.name)).toEqual(['good', 'stale']);
    expect(sequences[0]?.error).toBeUndefined();
    expect(sequences[1]?.error).toContain('version');
  });
});

describe('RedisSequenceStore', () => {
  it('stores, lists, reads and deletes sequences by name, in one hash', async () => {
    const client = new Redis(redis.current.url);
    try {
      const key = `store-${Math.random().toString(36).slice(2)}:sequences`;
      const store = new RedisSequenceStore(client, key);
      const orders = orderSequence();
      const refunds = {
        ...orderSequence(),
        name: 'refunds',
        layers: orderSequence().layers.slice(0, 1),
      };

      expect(await store.put('refunds', refunds)).toEqual({ created: true });
      expect(await store.put('orders', orders)).toEqual({ created: true });
      expect(await store.put('orders', orders)).toEqual({ created: false });

      expect((await store.list()).map((entry) => [entry.name, entry.layerCount])).toEqual([
        ['orders', orders.layers.length],
        ['refunds', 1],
      ]);
      expect(await store.get('orders')).toEqual(orders);
      expect(await store.get('missing')).toBeUndefined();
      expect(await store.delete('orders')).toBe(true);
      expect(await store.delete('orders')).toBe(false);
      expect((await store.list()).map((entry) => entry.name)).toEqual(['refunds']);
      expect(await client.keys(`${key.split(':')[0]}*`)).toEqual([key]);
      await client.del(key);
    } finally {
      client.disconnect();
    }
  });

  it('lists a damaged entry with why it cannot be read, beside the others', async () => {
    const client = new Redis(redis.current.url);
    try {
      const key = `store-${Math.random().toString(36).slice(2)}:sequences`;
      const store = new RedisSequenceStore(client, key);
      await store.put('orders', orderSequence());
      await client.hset(key, 'broken', '{"updatedAt":5,"sequence":{"format":"x"}}');
      const [broken, orders] = await store.list();
      expect(broken).toMatchObject({ name: 'broken', layerCount: 0, updatedAt: 5 });
      expect(broken?.error).toContain('format');
      expect(orders).toMatchObject({ name: 'orders', layerCount: orderSequence().layers.length });
      await client.del(key);
    } finally {
      client.disconnect();
    }
  });
});
