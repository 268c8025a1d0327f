import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdvancedSequenceBuilder } from 'fusync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, orderSequence, sequenceOf, testApp } from '../test-support/fixtures.js';
import { DiskSequenceStore } from './disk-sequence-store.js';
import { MemorySequenceStore } from './memory-sequence-store.js';
import type { SequenceStore } from './sequence-store.js';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fusync-sequences-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

type App = ReturnType<typeof testApp>['app'];

async function names(app: App): Promise<string[]> {
  const res = await app.request('/api/sequences');
  expect(res.status).toBe(200);
  return ((await res.json()) as { sequences: { name: string }[] }).sequences.map((s) => s.name);
}

const stores: [string, () => SequenceStore][] = [
  ['in memory', () => new MemorySequenceStore()],
  ['on disk', () => new DiskSequenceStore(join(directory, 'store'))],
];

describe.each(stores)('/api/sequences %s', (_name, makeStore) => {
  it('creates, reads, replaces, lists and deletes a sequence', async () => {
    const { app } = testApp({ sequences: makeStore() });
    const created = await app.request('/api/sequences/order', json('PUT', orderSequence()));
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ name: 'order', created: true });
    expect(created.headers.get('location')).toBe('/api/sequences/order');

    const read = await app.request('/api/sequences/order');
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(orderSequence());

    const replaced = await app.request(
      '/api/sequences/order',
      json('PUT', sequenceOf({ name: 'w', operation: 'wait' })),
    );
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toEqual({ name: 'order', created: false });
    expect(await names(app)).toEqual(['order']);

    expect((await app.request('/api/sequences/order', { method: 'DELETE' })).status).toBe(204);
    expect((await app.request('/api/sequences/order')).status).toBe(404);
    expect((await app.request('/api/sequences/order', { method: 'DELETE' })).status).toBe(404);
    expect(await names(app)).toEqual([]);
  });

  it('accepts exactly what save() writes, and that JSON loads back into a builder', async () => {
    const { app, operations } = testApp({ sequences: makeStore() });
    const builder = AdvancedSequenceBuilder.fromJSON(orderSequence(), {
      operations: operations.registry,
    });
    builder.setStudioNode('checkInventory', { x: 10, y: 20 });
    const file = join(directory, 'saved.json');
    await builder.save(file);
    const { readFile } = await import('node:fs/promises');
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

  it('stores a draft without layers', async () => {
    const { app } = testApp({ sequences: makeStore() });
    expect((await app.request('/api/sequences/draft', json('PUT', sequenceOf()))).status).toBe(201);
  });
});

describe('/api/sequences with bad input', () => {
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
    'refuses %s and leaves the stored sequence unchanged',
    async (_name, init, status, error) => {
      const store = new DiskSequenceStore(directory);
      const { app } = testApp({ sequences: store });
      await app.request('/api/sequences/order', json('PUT', orderSequence()));
      const res = await app.request('/api/sequences/order', init);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: unknown }).error).toMatchObject(error);
      expect(await (await app.request('/api/sequences/order')).json()).toEqual(orderSequence());
      expect(await names(app)).toEqual(['order']);
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
  ];

  it.each(tricks)('refuses the name %s in GET, PUT and DELETE and writes nothing', async (name) => {
    const store = new DiskSequenceStore(join(directory, 'store'));
    const { app } = testApp({ sequences: store });
    for (const init of [{ method: 'GET' }, json('PUT', orderSequence()), { method: 'DELETE' }]) {
      const res = await app.request(`/api/sequences/${name}`, init);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'INVALID_NAME', path: 'name' } });
    }
    expect(await names(app)).toEqual([]);
    expect(await readdir(directory)).toEqual([]);
  });

  it('answers a path that URL parsing takes out of /api/sequences with 404 and writes nothing', async () => {
    const { app } = testApp({ sequences: new DiskSequenceStore(join(directory, 'store')) });
    for (const path of [
      '/api/sequences/../../etc/passwd',
      '/api/sequences/%2E%2E',
      '/api/sequences/a/b',
    ]) {
      const res = await app.request(path, json('PUT', orderSequence()));
      expect(res.status).toBe(404);
    }
    expect(await readdir(directory)).toEqual([]);
  });

  it('refuses an oversized sequence with 413 and stores nothing', async () => {
    const { app } = testApp({ bodyLimit: 2048 });
    const res = await app.request(
      '/api/sequences/big',
      json('PUT', { ...orderSequence(), description: 'x'.repeat(4096) }),
    );
    expect(res.status).toBe(413);
    expect(await names(app)).toEqual([]);
  });
});
