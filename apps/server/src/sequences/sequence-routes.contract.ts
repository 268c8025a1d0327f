/**
 * The behaviour of the `/api/sequences` routes that every sequence store
 * must show (in memory, on disk, in Redis), as one suite each backend's test
 * file runs over an app it builds. What only one store does stays in that
 * store's test file.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdvancedSequenceBuilder } from 'fusync';
import type { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OperationCatalog } from '../operations/operation-catalog.js';
import { finished, startRun } from '../runs/run-routes.contract.js';
import type { RunService } from '../runs/run-service.js';
import { json, ORDER_INPUT, orderSequence, sequenceOf } from '../test-support/fixtures.js';

/** What a test asks of the app it gets. */
export interface SequenceAppOptions {
  bodyLimit?: number;
}

/** An app over one sequence store, fresh for each test (nothing stored yet). */
export interface SequenceRoutesApp {
  app: Hono;
  operations: OperationCatalog;
  runs: RunService;
  /** Every stored sequence read straight from the store's storage, not through the routes: name → sequence. */
  stored(): Promise<Record<string, unknown>>;
}

export type MakeSequenceApp = (options?: SequenceAppOptions) => Promise<SequenceRoutesApp>;

/** Names `/api/sequences/:name` refuses (as they appear in the URL). */
export const BAD_SEQUENCE_NAMES = [
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

/** Paths that URL parsing takes out of `/api/sequences/:name`. */
export const PATHS_OUT_OF_SEQUENCES = [
  '/api/sequences/../../etc/passwd',
  '/api/sequences/%2E%2E',
  '/api/sequences/a/b',
];

/** Every method of `/api/sequences/:name`, as request inits. */
export function everyMethod(): RequestInit[] {
  return [{ method: 'GET' }, json('PUT', orderSequence()), { method: 'DELETE' }];
}

/** The names `GET /api/sequences` lists. */
export async function sequenceNames(app: Hono): Promise<string[]> {
  const res = await app.request('/api/sequences');
  expect(res.status).toBe(200);
  return ((await res.json()) as { sequences: { name: string }[] }).sequences.map((s) => s.name);
}

/** Bodies `PUT /api/sequences/:name` refuses: name, request, status, error. */
const badBodies: [string, RequestInit, number, Record<string, unknown>][] = [
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

/**
 * The `/api/sequences` suite over the store `makeApp` builds;
 * `backendName` ends each group's title (`/api/sequences on disk`).
 */
export function describeSequenceRoutes(backendName: string, makeApp: MakeSequenceApp): void {
  describe(`/api/sequences ${backendName}`, () => {
    let directory: string;
    beforeEach(async () => {
      directory = await mkdtemp(join(tmpdir(), 'fusync-saved-sequence-'));
    });
    afterEach(async () => {
      await rm(directory, { recursive: true, force: true });
    });

    it('creates, reads, replaces, lists and deletes a sequence, and stores exactly that', async () => {
      const { app, stored } = await makeApp();
      const created = await app.request('/api/sequences/order', json('PUT', orderSequence()));
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ name: 'order', created: true });
      expect(created.headers.get('location')).toBe('/api/sequences/order');
      expect(await stored()).toEqual({ order: orderSequence() });

      const read = await app.request('/api/sequences/order');
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual(orderSequence());

      const replacement = sequenceOf({ name: 'w', operation: 'wait' });
      const replaced = await app.request('/api/sequences/order', json('PUT', replacement));
      expect(replaced.status).toBe(200);
      expect(await replaced.json()).toEqual({ name: 'order', created: false });
      expect(await stored()).toEqual({ order: replacement });

      const list = await app.request('/api/sequences');
      expect(((await list.json()) as { sequences: unknown[] }).sequences).toEqual([
        { name: 'order', layerCount: 1, updatedAt: expect.any(Number) },
      ]);
      expect(await sequenceNames(app)).toEqual(['order']);

      expect((await app.request('/api/sequences/order', { method: 'DELETE' })).status).toBe(204);
      expect((await app.request('/api/sequences/order')).status).toBe(404);
      expect((await app.request('/api/sequences/order', { method: 'DELETE' })).status).toBe(404);
      expect(await sequenceNames(app)).toEqual([]);
      expect(await stored()).toEqual({});
    });

    it('lists names sorted, with title, description and layer count', async () => {
      const { app } = await makeApp();
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
      const { app, operations } = await makeApp();
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

    it('stores a draft without layers', async () => {
      const { app } = await makeApp();
      expect((await app.request('/api/sequences/draft', json('PUT', sequenceOf()))).status).toBe(
        201,
      );
    });

    it('runs a stored sequence after reading it back', async () => {
      const { app, runs } = await makeApp();
      await app.request('/api/sequences/order', json('PUT', orderSequence()));
      const sequence = await (await app.request('/api/sequences/order')).json();
      const runId = await startRun(app, { sequence, input: ORDER_INPUT });
      await finished(runs, runId);
      expect(
        ((await (await app.request(`/api/runs/${runId}`)).json()) as { status: string }).status,
      ).toBe('succeeded');
    });
  });

  describe(`/api/sequences ${backendName} with bad input`, () => {
    it.each(badBodies)(
      'refuses %s and leaves the stored sequence unchanged',
      async (_name, init, status, error) => {
        const { app, stored } = await makeApp();
        await app.request('/api/sequences/order', json('PUT', orderSequence()));
        const res = await app.request('/api/sequences/order', init);
        expect(res.status).toBe(status);
        expect(((await res.json()) as { error: unknown }).error).toMatchObject(error);
        expect(await (await app.request('/api/sequences/order')).json()).toEqual(orderSequence());
        expect(await sequenceNames(app)).toEqual(['order']);
        expect(await stored()).toEqual({ order: orderSequence() });
      },
    );

    it.each(BAD_SEQUENCE_NAMES)(
      'refuses the name %s in GET, PUT and DELETE and writes nothing',
      async (name) => {
        const { app, stored } = await makeApp();
        for (const init of everyMethod()) {
          const res = await app.request(`/api/sequences/${name}`, init);
          expect(res.status).toBe(400);
          expect(await res.json()).toMatchObject({ error: { code: 'INVALID_NAME', path: 'name' } });
        }
        expect(await sequenceNames(app)).toEqual([]);
        expect(await stored()).toEqual({});
      },
    );

    it('answers a path that URL parsing takes out of /api/sequences with 404 and writes nothing', async () => {
      const { app, stored } = await makeApp();
      for (const path of PATHS_OUT_OF_SEQUENCES) {
        const res = await app.request(path, json('PUT', orderSequence()));
        expect(res.status).toBe(404);
      }
      expect(await stored()).toEqual({});
    });

    it('refuses an oversized sequence with 413 and stores nothing', async () => {
      const { app, stored } = await makeApp({ bodyLimit: 2048 });
      const res = await app.request(
        '/api/sequences/big',
        json('PUT', { ...orderSequence(), description: 'x'.repeat(4096) }),
      );
      expect(res.status).toBe(413);
      expect(await sequenceNames(app)).toEqual([]);
      expect(await stored()).toEqual({});
    });
  });
}
