import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AdvancedSequenceBuilder,
  FusyncError,
  type LayerFunction,
  parseSequenceText,
  SEQUENCE_FORMAT,
  SEQUENCE_VERSION,
  SequenceFormatError,
  type SequenceJson,
  ValidationError,
} from '../src/index.js';
import { catchError, rejectionOf } from './helpers.js';

const operations = {
  fetchUser: async (id: string) => ({ id, name: `user ${id}` }),
  fetchOrders: async (id: string) => [`${id}-o1`, `${id}-o2`],
  summarise: async (user: { name: string }, orders: string[]) => `${user.name}: ${orders.length}`,
} satisfies Record<string, LayerFunction>;

/** A sequence using every saved field: options, all layer fields, studio positions. */
function fullSequence(): AdvancedSequenceBuilder {
  return new AdvancedSequenceBuilder({
    name: 'customer-summary',
    verbose: false,
    queueType: 'LIFO',
    useRedis: false,
    concurrency: 3,
    maxRetries: 2,
    retryDelay: 25,
    timeout: 5_000,
  })
    .addLayer({
      name: 'user',
      execute: operations.fetchUser,
      args: ['userId'],
      priority: 2,
      description: 'Load the user',
    })
    .addLayer({
      name: 'orders',
      execute: operations.fetchOrders,
      operation: 'fetchOrders',
      args: ['userId'],
      retries: 4,
      retryDelay: 10,
      timeout: 800,
      onError: 'continue',
    })
    .addLayer({
      name: 'summary',
      execute: operations.summarise,
      dependsOn: ['user', 'orders'],
      priority: -1,
      onError: 'abort',
    })
    .setStudioNode('user', { x: 10, y: 20 })
    .setStudioNode('orders', { x: 210.5, y: 20, expectedDurationMs: 120 })
    .setStudioNode('summary', { x: 110, y: 160 });
}

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fusync-serialization-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('sequence JSON', () => {
  it('writes the versioned format with layers by operation name, options and studio positions', () => {
    const json = fullSequence().toJSON();

    expect(json).toEqual({
      format: SEQUENCE_FORMAT,
      version: SEQUENCE_VERSION,
      name: 'customer-summary',
      config: {
        verbose: false,
        queueType: 'LIFO',
        useRedis: false,
        concurrency: 3,
        maxRetries: 2,
        retryDelay: 25,
        timeout: 5_000,
      },
      layers: [
        {
          name: 'user',
          operation: 'fetchUser',
          args: ['userId'],
          priority: 2,
          description: 'Load the user',
        },
        {
          name: 'orders',
          operation: 'fetchOrders',
          args: ['userId'],
          retries: 4,
          retryDelay: 10,
          timeout: 800,
          onError: 'continue',
        },
        {
          name: 'summary',
          operation: 'summarise',
          dependsOn: ['user', 'orders'],
          priority: -1,
          onError: 'abort',
        },
      ],
      studio: {
        nodes: {
          user: { x: 10, y: 20 },
          orders: { x: 210.5, y: 20, expectedDurationMs: 120 },
          summary: { x: 110, y: 160 },
        },
      },
    });
  });

  it('round-trips through toJSON and fromJSON, as a value and as text', () => {
    const json = fullSequence().toJSON();

    const fromValue = AdvancedSequenceBuilder.fromJSON(json, { operations });
    const fromText = AdvancedSequenceBuilder.fromJSON(JSON.stringify(json), { operations });

    expect(fromValue.toJSON()).toEqual(json);
    expect(fromText.toJSON()).toEqual(json);
    expect(fromText.options).toEqual(fullSequence().options);
    expect(fromText.layers.map((layer) => layer.execute)).toEqual([
      operations.fetchUser,
      operations.fetchOrders,
      operations.summarise,
    ]);
  });

  it('runs a loaded sequence like the original', async () => {
    const original = await fullSequence().build({ userId: 'u1' });
    const loaded = await AdvancedSequenceBuilder.fromJSON(fullSequence().toJSON(), {
      operations,
    }).build({ userId: 'u1' });

    expect(loaded.status).toBe('succeeded');
    expect(loaded.results).toEqual(original.results);
    expect(loaded.results.summary).toBe('user u1: 2');
  });

  it('saves unlimited concurrency by leaving it out', () => {
    const json = new AdvancedSequenceBuilder({ concurrency: Number.POSITIVE_INFINITY })
      .addLayer({ name: 'a', execute: operations.fetchUser })
      .toJSON();
    expect(json.config).toEqual({});
    expect(AdvancedSequenceBuilder.fromJSON(json, { operations }).options.concurrency).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('drops the studio data of a removed layer', () => {
    const json = fullSequence().removeLayer('summary').toJSON();
    expect(Object.keys(json.studio?.nodes ?? {})).toEqual(['user', 'orders']);
    expect(json.layers.map((layer) => layer.name)).toEqual(['user', 'orders']);
  });

  it('refuses to save a layer whose function has no name and no operation', () => {
    const [anonymous] = [async () => 1];
    expect(anonymous?.name).toBe('');
    const sequence = new AdvancedSequenceBuilder().addLayer({
      name: 'mystery',
      execute: anonymous as LayerFunction,
    });

    const error = catchError(() => sequence.toJSON());

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ layer: 'mystery', path: 'operation' });
    expect(error.message).toContain('`mystery`');
    expect(error.message).toContain('operation');
  });

  it('saves an anonymous function under the operation the layer names', () => {
    const [anonymous] = [async () => 1];
    const json = new AdvancedSequenceBuilder()
      .addLayer({ name: 'named', execute: anonymous as LayerFunction, operation: 'one' })
      .toJSON();
    expect(json.layers[0]?.operation).toBe('one');
  });
});

describe('save and load', () => {
  it('saves to a file and loads it back with an operation registry', async () => {
    const file = join(directory, 'sequence.json');
    const original = fullSequence();

    await original.save(file);
    const loaded = AdvancedSequenceBuilder.load(file, { operations });

    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(original.toJSON());
    expect(loaded.toJSON()).toEqual(original.toJSON());
    const run = await loaded.build({ userId: 'u2' });
    expect(run.results.summary).toBe('user u2: 2');
  });

  it('accepts the registry as a Map', async () => {
    const file = join(directory, 'sequence.json');
    await fullSequence().save(file);

    const loaded = AdvancedSequenceBuilder.load(file, {
      operations: new Map(Object.entries(operations)),
    });

    expect((await loaded.build({ userId: 'u3' })).results.summary).toBe('user u3: 2');
  });

  it('loads without operations and runs after bind()', async () => {
    const file = join(directory, 'sequence.json');
    await fullSequence().save(file);

    const loaded = AdvancedSequenceBuilder.load(file);
    expect(loaded.layers.map((layer) => [layer.name, layer.operation, layer.execute])).toEqual([
      ['user', 'fetchUser', undefined],
      ['orders', 'fetchOrders', undefined],
      ['summary', 'summarise', undefined],
    ]);

    const run = await loaded.bind(operations).build({ userId: 'u4' });
    expect(run.status).toBe('succeeded');
    expect(run.results.summary).toBe('user u4: 2');
  });

  it('names the layer whose operation is not registered', async () => {
    const file = join(directory, 'sequence.json');
    await fullSequence().save(file);
    const { fetchOrders: _, ...partial } = operations;

    const error = catchError(() => AdvancedSequenceBuilder.load(file, { operations: partial }));

    expect(error).toBeInstanceOf(FusyncError);
    expect(error).toMatchObject({
      code: 'UNKNOWN_OPERATION',
      layer: 'orders',
      path: 'layers[1].operation',
    });
    expect(error.message).toContain('`orders`');
    expect(error.message).toContain('`fetchOrders`');
  });

  it('names the layer bind() cannot find an operation for', () => {
    const loaded = AdvancedSequenceBuilder.fromJSON(fullSequence().toJSON());
    const error = catchError(() => loaded.bind({ fetchUser: operations.fetchUser }));
    expect(error).toMatchObject({ code: 'UNKNOWN_OPERATION', layer: 'orders' });
  });

  it('points a malformed field out by its path', async () => {
    const file = join(directory, 'broken.json');
    const json = fullSequence().toJSON() as unknown as { layers: Record<string, unknown>[] };
    (json.layers[1] as Record<string, unknown>).priority = 'high';
    await writeFile(file, JSON.stringify(json));

    const error = catchError(() => AdvancedSequenceBuilder.load(file, { operations }));

    expect(error).toBeInstanceOf(SequenceFormatError);
    expect(error).toMatchObject({ code: 'INVALID_SEQUENCE_JSON', path: 'layers[1].priority' });
    expect(error.message).toContain('layers[1].priority');
    expect(error.message).toContain('`orders`');
  });

  it('reports text that is not JSON as a SequenceFormatError', async () => {
    const file = join(directory, 'garbage.json');
    await writeFile(file, '{ "format": "fusync.sequence", ');

    const error = catchError(() => AdvancedSequenceBuilder.load(file));

    expect(error).toBeInstanceOf(SequenceFormatError);
    expect(error.message).toContain('not valid JSON');
  });

  it.each([
    ['a wrong format tag', { format: 'other', version: 1, layers: [] }, 'format'],
    [
      'a future version',
      { format: SEQUENCE_FORMAT, version: SEQUENCE_VERSION + 1, layers: [] },
      'version',
    ],
    ['missing layers', { format: SEQUENCE_FORMAT, version: 1 }, 'layers'],
    [
      'a layer without an operation',
      { format: SEQUENCE_FORMAT, version: 1, layers: [{ name: 'a' }] },
      'layers[0].operation',
    ],
    [
      'a layer carrying code',
      {
        format: SEQUENCE_FORMAT,
        version: 1,
        layers: [{ name: 'a', operation: 'x', execute: '() => 1' }],
      },
      'layers[0]',
    ],
    [
      'a bad concurrency',
      { format: SEQUENCE_FORMAT, version: 1, config: { concurrency: 0 }, layers: [] },
      'config.concurrency',
    ],
    [
      'a bad studio position',
      {
        format: SEQUENCE_FORMAT,
        version: 1,
        layers: [{ name: 'a', operation: 'x' }],
        studio: { nodes: { a: { x: 'left', y: 0 } } },
      },
      'studio.nodes.a.x',
    ],
  ])('refuses %s with a SequenceFormatError at `%s`', (_, document, path) => {
    const error = catchError(() => AdvancedSequenceBuilder.fromJSON(document));
    expect(error).toBeInstanceOf(SequenceFormatError);
    expect(error.path).toBe(path);
  });

  it('reports a file that cannot be read as a FusyncError', () => {
    const error = catchError(() => AdvancedSequenceBuilder.load(join(directory, 'missing.json')));
    expect(error).toBeInstanceOf(FusyncError);
    expect(error.message).toContain('missing.json');
  });

  it('writes nothing when the sequence cannot be saved', async () => {
    const file = join(directory, 'never.json');
    const [anonymous] = [async () => 1];
    const sequence = new AdvancedSequenceBuilder().addLayer({
      name: 'anonymous',
      execute: anonymous as LayerFunction,
    });

    const error = await rejectionOf(sequence.save(file));

    expect(error).toBeInstanceOf(ValidationError);
    await expect(stat(file)).rejects.toThrow();
  });
});

describe('loading never evaluates code', () => {
  const marker = '__fusyncEvaluated';

  afterEach(() => {
    delete (globalThis as Record<string, unknown>)[marker];
  });

  it.each([
    `globalThis.${marker} = true`,
    `(() => { globalThis.${marker} = true; return () => 1 })()`,
    `function () { globalThis.${marker} = true }`,
    'constructor',
    'toString',
    'hasOwnProperty',
    '__proto__',
  ])('treats the operation %j as an unknown name', async (operation) => {
    const document: SequenceJson = {
      format: SEQUENCE_FORMAT,
      version: SEQUENCE_VERSION,
      layers: [{ name: 'a', operation }],
    };
    const safe = vi.fn(async () => 'safe');

    const error = catchError(() =>
      AdvancedSequenceBuilder.fromJSON(JSON.stringify(document), { operations: { safe } }),
    );

    expect(error).toMatchObject({ code: 'UNKNOWN_OPERATION', layer: 'a' });
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();

    const unbound = AdvancedSequenceBuilder.fromJSON(document);
    await expect(unbound.build()).rejects.toMatchObject({
      code: 'OPERATION_NOT_BOUND',
      layer: 'a',
    });
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
    expect(safe).not.toHaveBeenCalled();
  });
});

describe('unknown keys', () => {
  it('refuses `__proto__` at the root as it refuses `constructor`, naming it', () => {
    for (const key of ['__proto__', 'constructor']) {
      const text = `{"format":"fusync.sequence","version":1,"layers":[],"${key}":{"x":1}}`;
      const error = catchError(() => parseSequenceText(text));
      expect(error).toBeInstanceOf(SequenceFormatError);
      expect((error as Error).message).toContain(`unknown field \`${key}\``);
    }
  });
});
