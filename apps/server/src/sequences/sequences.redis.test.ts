import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdvancedSequenceBuilder } from 'fusync';
import type { Hono } from 'hono';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { usePrivateRedis } from '../../test-redis/private-redis.js';
import { useRedisApps } from '../../test-redis/redis-app.js';
import { json, orderSequence, sequenceOf } from '../test-support/fixtures.js';

const redis = usePrivateRedis();
const redisApp = useRedisApps(() => redis.current);

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fusync-sequences-redis-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function names(app: Hono): Promise<string[]> {
  const res = await app.request('/api/sequences');
  expect(res.status).toBe(200);
  return ((await res.json()) as { sequences: { name: string }[] }).sequences.map((s) => s.name);
}

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

describe('/api/sequences in Redis mode', () => {
  it('creates, reads, replaces, lists and deletes a sequence, kept in Redis', async () => {
    const { app, url } = await redisApp();
    const created = await app.request('/api/sequences/order', json('PUT', orderSequence()));
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ name: 'order', created: true });
    expect(created.headers.get('location')).toBe('/api/sequences/order');
    expect(await storedInRedis(url)).toEqual({ order: orderSequence() });

    const read = await app.request('/api/sequences/order');
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(orderSequence());

    const replacement = sequenceOf({ name: 'w', operation: 'wait' });
    const replaced = await app.request('/api/sequences/order', json('PUT', replacement));
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toEqual({ name: 'order', created: false });
    expect(await storedInRedis(url)).toEqual({ order: replacement });

    const list = await app.request('/api/sequences');
    expect(((await list.json()) as { sequences: unknown[] }).sequences).toEqual([
      { name: 'order', layerCount: 1, updatedAt: expect.any(Number) },
    ]);

    expect((await app.request('/api/sequences/order', { method: 'DELETE' })).status).toBe(204);
    expect((await app.request('/api/sequences/order')).status).toBe(404);
    expect((await app.request('/api/sequences/order', { method: 'DELETE' })).status).toBe(404);
    expect(await names(app)).toEqual([]);
    expect(await storedInRedis(url)).toEqual({});
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
    expect(await names(first.app)).toEqual([]);
  });

  it('lists names sorted, with title, description and layer count', async () => {
    const { app } = await redisApp();
    await app.request(
      '/api/sequences/zeta',
      json('PUT', { ...orderSequence(), description: 'Orders.' }),
    );
    await app.request('/api/sequences/alpha', json('PUT', sequenceOf()));
    const body = (await (await app.request('/api/sequences')).json()) as {
      sequences: Record<string, unknown>[];
    };
    expect(body.sequences).toEqual([
      { name: 'alpha', layerCount: 0, updatedAt: expect.any(Number) },
      {
        name: 'zeta',
        title: 'order',
        description: 'Orders.',
        layerCount: 5,
        updatedAt: expect.any(Number),
      },
    ]);
  });

  it('accepts exactly what save() writes, and that JSON loads back into a builder', async () => {
    const { app, operations } = await redisApp();
    const builder = AdvancedSequenceBuilder.fromJSON(orderSequence(), {
      operations: operations.registry,
    });
    builder.setStudioNode('checkInventory', { x: 10, y: 20 });
    const file = join(directory, 'saved.json');
    await builder.save(file);
    const saved = await readFile(file, 'utf8');
    const res = await app.request('/api/sequences/saved', {
      method: 'PUT',
      body: saved,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(201);
    const back = await (await app.request('/api/sequences/saved')).json();
    expect(back).toEqual(JSON.parse(saved));
    expect(
      AdvancedSequenceBuilder.fromJSON(back, { operations: operations.registry }).layers,
    ).toHaveLength(5);
  });

  it('runs a stored sequence after reading it back', async () => {
    const { app, runs } = await redisApp();
    await app.request('/api/sequences/order', json('PUT', orderSequence()));
    const sequence = await (await app.request('/api/sequences/order')).json();
    const res = await app.request(
      '/api/runs',
      json('POST', {
        sequence,
        input: { productId: 'sku-1', quantity: 2, customerId: 'cust-1' },
      }),
    );
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };
    for await (const _event of runs.events(runId)) {
      // drain
    }
    expect(
      ((await (await app.request(`/api/runs/${runId}`)).json()) as { status: string }).status,
    ).toBe('succeeded');
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

describe('/api/sequences in Redis mode with bad input', () => {
  const bodies: [string, RequestInit, number, Record<string, unknown>][] = [
    ['malformed JSON', json('PUT', '{"format":'), 400, { code: 'INVALID_BODY' }],
    [
      'a body that is not JSON',
      { method: 'PUT', body: 'x', headers: { 'content-type': 'text/plain' } },
      415,
      { code: 'UNSUPPORTED_MEDIA_TYPE' },
    ],
    [
      'a wrong format tag',
      json('PUT', { ...orderSequence(), format: 'other' }),
      400,
      { code: 'INVALID_SEQUENCE_JSON', path: 'format' },
    ],
    [
      'a wrong type',
      json('PUT', { ...orderSequence(), config: { concurrency: 'many' } }),
      400,
      { code: 'INVALID_SEQUENCE_JSON', path: 'config.concurrency' },
    ],
    [
      'an unknown field',
      json('PUT', { ...orderSequence(), script: 'process.exit()' }),
      400,
      { code: 'INVALID_SEQUENCE_JSON' },
    ],
    [
      'an unknown operation',
      json('PUT', sequenceOf({ name: 'a', operation: 'eval' })),
      422,
      { code: 'UNKNOWN_OPERATION', path: 'layers[0].operation' },
    ],
    [
      'a cycle',
      json('PUT', sequenceOf({ name: 'a', operation: 'wait', dependsOn: ['a'] })),
      422,
      { code: 'CYCLE_DETECTED', layer: 'a' },
    ],
  ];

  it.each(bodies)(
    'refuses %s and leaves the stored sequence in Redis unchanged',
    async (_name, init, status, error) => {
      const { app, url } = await redisApp();
      await app.request('/api/sequences/order', json('PUT', orderSequence()));
      const res = await app.request('/api/sequences/order', init);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: unknown }).error).toMatchObject(error);
      expect(await storedInRedis(url)).toEqual({ order: orderSequence() });
    },
  );

  const tricks = [
    '..%2F..%2Fetc%2Fpasswd',
    '..%5Cx',
    'a%00b',
    'a.json',
    '%252F',
    'x'.repeat(129),
    'caf%C3%A9',
    'fusync%3Aruns',
    '*',
  ];

  it.each(tricks)('refuses the name %s in GET, PUT and DELETE and writes nothing', async (name) => {
    const { app, url } = await redisApp();
    for (const init of [{ method: 'GET' }, json('PUT', orderSequence()), { method: 'DELETE' }]) {
      const res = await app.request(`/api/sequences/${name}`, init);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'INVALID_NAME', path: 'name' } });
    }
    expect(await storedInRedis(url)).toEqual({});
  });

  it('refuses an oversized sequence with 413 and stores nothing', async () => {
    const { app, url } = await redisApp({ bodyLimit: 2048 });
    const res = await app.request(
      '/api/sequences/big',
      json('PUT', { ...orderSequence(), description: 'x'.repeat(4096) }),
    );
    expect(res.status).toBe(413);
    expect(await storedInRedis(url)).toEqual({});
  });
});
