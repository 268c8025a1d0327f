import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  AdvancedSequenceBuilder,
  CycleError,
  FusyncError,
  type LayerConfig,
  type RemoteRunner,
  type RemoteRunRequest,
  ValidationError,
} from '../src/index.js';
import { catchError, rejectionOf } from './helpers.js';

const input = { productId: 'p-1', quantity: 2, customerId: 'c-7', amount: 42 };

/** The seed README's operations, made concrete and recording their calls. */
function readmeOperations() {
  const calls: string[] = [];
  const checkInventory = async (productId: string, quantity: number) => {
    calls.push('checkInventory');
    return { inStock: productId === 'p-1' && quantity <= 5 };
  };
  const reserveInventory = async (productId: string, quantity: number) => {
    calls.push('reserveInventory');
    return { reservation: `${productId}x${quantity}` };
  };
  const validateCustomer = async (customerId: string) => {
    calls.push('validateCustomer');
    return customerId.startsWith('c-');
  };
  const createOrder = async (customerId: string, productId: string, quantity: number) => {
    calls.push('createOrder');
    return { orderId: `o-${customerId}-${productId}-${quantity}` };
  };
  const processPayment = async (orderId: string, amount: number) => {
    calls.push('processPayment');
    return `paid ${amount} for ${orderId}`;
  };
  return {
    calls,
    checkInventory,
    reserveInventory,
    validateCustomer,
    createOrder,
    processPayment,
  };
}

/** Lets a test assert that validation happened before any layer function was called. */
function neverCalled(): LayerConfig['execute'] & ReturnType<typeof vi.fn> {
  return vi.fn(async () => 'ran');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the seed README examples', () => {
  it('runs the basic example unchanged and keys its results by layer name', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { checkInventory, calls } = readmeOperations();

    const sequence = new AdvancedSequenceBuilder({
      verbose: true,
      queueType: 'FIFO',
      useRedis: false,
      concurrency: 3,
    });
    sequence.addLayer({
      name: 'checkInventory',
      execute: checkInventory,
      args: ['productId', 'quantity'],
      description: 'Check product inventory',
    });
    const run = await sequence.build(input);

    expect(run.status).toBe('succeeded');
    expect(run.results).toEqual({ checkInventory: { inStock: true } });
    expect(calls).toEqual(['checkInventory']);
    expect(log).toHaveBeenCalled();
  });

  it('runs the advanced example unchanged, in dependency order, with every result', async () => {
    const {
      calls,
      checkInventory,
      reserveInventory,
      validateCustomer,
      createOrder,
      processPayment,
    } = readmeOperations();
    vi.spyOn(console, 'log').mockImplementation(() => {});

    const sequence = new AdvancedSequenceBuilder({
      verbose: true,
      queueType: 'FIFO',
      useRedis: false,
      concurrency: 5,
    });

    sequence
      .addLayer({
        name: 'checkInventory',
        execute: checkInventory,
        args: ['productId', 'quantity'],
        priority: 1,
      })
      .addLayer({
        name: 'validateCustomer',
        execute: validateCustomer,
        args: ['customerId'],
        priority: 1,
      })
      .addLayer({
        name: 'reserveInventory',
        execute: reserveInventory,
        args: ['productId', 'quantity'],
        dependsOn: ['checkInventory'],
        priority: 2,
      })
      .addLayer({
        name: 'createOrder',
        execute: createOrder,
        args: ['customerId', 'productId', 'quantity'],
        dependsOn: ['validateCustomer', 'reserveInventory'],
        priority: 3,
      })
      .addLayer({
        name: 'processPayment',
        execute: processPayment,
        args: ['orderId', 'amount'],
        dependsOn: ['createOrder'],
        priority: 4,
      });

    const run = await sequence.build(input);

    expect(run.status).toBe('succeeded');
    expect(run.results).toEqual({
      checkInventory: { inStock: true },
      validateCustomer: true,
      reserveInventory: { reservation: 'p-1x2' },
      createOrder: { orderId: 'o-c-7-p-1-2' },
      processPayment: 'paid 42 for o-c-7-p-1-2',
    });
    expect(calls.indexOf('reserveInventory')).toBeGreaterThan(calls.indexOf('checkInventory'));
    expect(calls.indexOf('createOrder')).toBeGreaterThan(calls.indexOf('reserveInventory'));
    expect(calls.indexOf('createOrder')).toBeGreaterThan(calls.indexOf('validateCustomer'));
    expect(calls.at(-1)).toBe('processPayment');
    expect(run.layers.map((layer) => [layer.name, layer.status, layer.attempts.length])).toEqual([
      ['checkInventory', 'succeeded', 1],
      ['validateCustomer', 'succeeded', 1],
      ['reserveInventory', 'succeeded', 1],
      ['createOrder', 'succeeded', 1],
      ['processPayment', 'succeeded', 1],
    ]);
  });
});

describe('sequence builder', () => {
  it('returns itself from addLayer and removeLayer so calls chain', () => {
    const sequence = new AdvancedSequenceBuilder();
    const added = sequence.addLayer({ name: 'a', execute: async () => 1 });
    expect(added).toBe(sequence);
    expect(added.addLayer({ name: 'b', execute: async () => 2 }).removeLayer('a')).toBe(sequence);
    expect(sequence.layers.map((layer) => layer.name)).toEqual(['b']);
  });

  it('runs without the layers that were removed', async () => {
    const removed = neverCalled();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'kept', execute: async () => 'kept' })
      .addLayer({ name: 'dropped', execute: removed })
      .removeLayer('dropped');

    const run = await sequence.build();

    expect(run.results).toEqual({ kept: 'kept' });
    expect(run.layers.map((layer) => layer.name)).toEqual(['kept']);
    expect(removed).not.toHaveBeenCalled();
  });

  it('keeps resolving names right through any mix of adds and removes, also after a run', async () => {
    /** Adds a layer that depends on every present layer, runs, and returns what it received. */
    const probe = async (sequence: AdvancedSequenceBuilder, present: readonly string[]) => {
      sequence.addLayer({
        name: 'probe',
        dependsOn: [...present],
        execute: async (...args: unknown[]) => args.slice(0, -1),
      });
      const run = await sequence.build();
      sequence.removeLayer('probe');
      return run;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.nat(9).map((n) => ({ add: n })),
            fc.nat(9).map((n) => ({ remove: n })),
            fc.constant({ run: true }),
          ),
          { maxLength: 40 },
        ),
        async (steps) => {
          const sequence = new AdvancedSequenceBuilder();
          const present: string[] = [];
          for (const step of steps) {
            if ('run' in step) {
              // A run hands the name index to a graph; later changes must not reach that graph.
              const run = await probe(sequence, present);
              expect(run.results.probe).toEqual(present);
            } else if ('add' in step) {
              const name = `n${step.add}`;
              if (present.includes(name)) continue;
              sequence.addLayer({ name, execute: async () => name });
              present.push(name);
            } else {
              const name = `n${step.remove}`;
              if (!present.includes(name)) continue;
              sequence.removeLayer(name);
              present.splice(present.indexOf(name), 1);
            }
          }
          expect(sequence.layers.map((layer) => layer.name)).toEqual(present);
          const run = await probe(sequence, present);
          expect(run.results.probe).toEqual(present);
          expect(Object.keys(run.results)).toEqual([...present, 'probe']);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('runs the graph it started with when layers are added or removed meanwhile', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'a', execute: async () => 'A' })
      .addLayer({
        name: 'b',
        dependsOn: ['a'],
        args: ['a'],
        execute: async (a: string) => {
          await gate;
          return `${a}B`;
        },
      })
      .addLayer({
        name: 'c',
        dependsOn: ['b'],
        args: ['b'],
        execute: async (b: string) => `${b}C`,
      });
    const pending = sequence.build();
    await new Promise((resolve) => setTimeout(resolve, 5));
    sequence.removeLayer('a').addLayer({ name: 'a2', execute: async () => 'other' });
    release();
    const run = await pending;

    expect(run.results).toEqual({ a: 'A', b: 'AB', c: 'ABC' });
    expect(sequence.layers.map((layer) => layer.name)).toEqual(['b', 'c', 'a2']);
  });

  it('refuses to remove a layer that does not exist, suggesting a close name', () => {
    const sequence = new AdvancedSequenceBuilder().addLayer({
      name: 'checkInventory',
      execute: async () => 1,
    });
    const error = catchError(() => sequence.removeLayer('checkInventroy'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'UNKNOWN_LAYER', layer: 'checkInventroy' });
    expect(error.message).toContain('Did you mean `checkInventory`?');
  });

  it('accepts a dependency added after the layer that needs it', async () => {
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({
        name: 'last',
        execute: async (middle: number) => middle * 10,
        dependsOn: ['middle'],
      })
      .addLayer({
        name: 'middle',
        execute: async (first: number) => first + 1,
        dependsOn: ['first'],
      })
      .addLayer({ name: 'first', execute: async () => 1 });

    const run = await sequence.build();

    expect(run.status).toBe('succeeded');
    expect(run.results).toEqual({ first: 1, middle: 2, last: 20 });
  });

  it('keeps each result under its layer name, whatever the name', async () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    const sequence = new AdvancedSequenceBuilder();
    for (const name of names) sequence.addLayer({ name, execute: async () => ({ from: name }) });

    const run = await sequence.build();

    expect(run.status).toBe('succeeded');
    for (const name of names) {
      expect(Object.hasOwn(run.results, name), `results has an own \`${name}\``).toBe(true);
      expect(run.results[name]).toEqual({ from: name });
    }
  });
});

describe('a builder run again and again', () => {
  it('runs what it holds now: a layer added, removed or bound between runs counts', async () => {
    const builder = new AdvancedSequenceBuilder()
      .addLayer({ name: 'a', execute: async () => 1 })
      .addLayer({ name: 'b', dependsOn: ['a'], execute: async (a: number) => a + 1 });
    expect((await builder.build()).results).toEqual({ a: 1, b: 2 });

    builder.addLayer({ name: 'c', dependsOn: ['b'], execute: async (b: number) => b * 10 });
    expect((await builder.build()).results).toEqual({ a: 1, b: 2, c: 20 });

    builder.removeLayer('c');
    expect((await builder.build()).results).toEqual({ a: 1, b: 2 });

    builder.bind({ a: async () => 5, b: async (a: number) => a - 1 });
    expect((await builder.build()).results).toEqual({ a: 5, b: 4 });

    builder.addLayer({ name: 'broken', dependsOn: ['nowhere'], execute: async () => 0 });
    await expect(builder.build()).rejects.toMatchObject({ code: 'UNKNOWN_DEPENDENCY' });
    builder.removeLayer('broken');
    expect((await builder.build()).status).toBe('succeeded');
  });

  it('keeps concurrent runs of one builder apart, each with its input and results', async () => {
    const builder = new AdvancedSequenceBuilder()
      .addLayer({
        name: 'double',
        args: ['n'],
        execute: async (n: number) => {
          await new Promise((resolve) => setTimeout(resolve, n % 3));
          return n * 2;
        },
      })
      .addLayer({ name: 'plusOne', dependsOn: ['double'], execute: async (d: number) => d + 1 });
    const runs = await Promise.all(Array.from({ length: 50 }, (_, n) => builder.build({ n })));
    expect(runs.map((run) => run.results.plusOne)).toEqual(
      Array.from({ length: 50 }, (_, n) => n * 2 + 1),
    );
    expect(new Set(runs.map((run) => run.runId)).size).toBe(50);
    expect(runs.every((run) => run.layers[0]?.attempts[0]?.args?.[0] === runs.indexOf(run))).toBe(
      true,
    );
  });
});

describe('arguments of a builder run again and again', () => {
  it('resolves names against the layers it holds now after layers are removed and added between runs', async () => {
    const sum = {
      name: 'sum',
      dependsOn: ['first', 'second'],
      args: ['first.total', 'count', 'second', 'bonus'],
      execute: async (total: number, count: number, second: { count: number }, bonus: number) =>
        total + count + second.count + bonus,
    };
    const builder = new AdvancedSequenceBuilder()
      .addLayer({ name: 'first', execute: async () => ({ total: 1 }) })
      .addLayer({ name: 'second', execute: async () => ({ count: 2 }) })
      .addLayer(sum);
    expect((await builder.build({ bonus: 100 })).results.sum).toBe(105);

    // `sum` keeps its place while `first` and `second` swap theirs: names must follow the layers.
    builder
      .removeLayer('first')
      .removeLayer('sum')
      .addLayer({ name: 'first', execute: async () => ({ total: 40 }) })
      .addLayer(sum);
    expect(builder.layers.map((layer) => layer.name)).toEqual(['second', 'first', 'sum']);
    expect((await builder.build({ bonus: 0 })).results.sum).toBe(44);

    // `second` gone, every later layer moves up one place.
    builder.removeLayer('second').addLayer({ name: 'second', execute: async () => ({ count: 3 }) });
    expect((await builder.build({ bonus: 0 })).results.sum).toBe(46);

    builder
      .removeLayer('second')
      .addLayer({ name: 'second', execute: async () => ({ count: 7 }) })
      .addLayer({ name: 'extra', execute: async () => ({ unrelated: true }) });
    expect((await builder.build({ bonus: 1 })).results.sum).toBe(55);
  });

  it('keeps runs in flight on the layers they started with while the next runs use the new ones', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const builder = new AdvancedSequenceBuilder()
      .addLayer({ name: 'source', args: ['n'], execute: async (n: number) => ({ value: n }) })
      .addLayer({
        name: 'use',
        dependsOn: ['source'],
        args: ['value', 'source.value'],
        execute: async (value: number, again: number) => {
          await gate;
          return value + again;
        },
      });
    const before = Array.from({ length: 20 }, (_, n) => builder.build({ n }));
    await new Promise((resolve) => setTimeout(resolve, 5));

    builder
      .removeLayer('source')
      .addLayer({ name: 'source', args: ['n'], execute: async (n: number) => ({ value: n * 10 }) });
    const after = Array.from({ length: 20 }, (_, n) => builder.build({ n }));
    release();

    expect((await Promise.all(before)).map((run) => run.results.use)).toEqual(
      Array.from({ length: 20 }, (_, n) => 2 * n),
    );
    expect((await Promise.all(after)).map((run) => run.results.use)).toEqual(
      Array.from({ length: 20 }, (_, n) => 20 * n),
    );
  });
});

describe('a backend passed in', () => {
  it('hands it the run: the validated graph, the JSON, the input and the listener', async () => {
    const requests: RemoteRunRequest[] = [];
    const backend: RemoteRunner = {
      run(request) {
        requests.push(request);
        return {
          runId: request.runId,
          result: new AdvancedSequenceBuilder()
            .addLayer({ name: 'remote', execute: async () => 'done elsewhere' })
            .build(),
          cancel() {},
        };
      },
    };
    const sequence = new AdvancedSequenceBuilder({ backend, name: 'handed' }).addLayer({
      name: 'a',
      operation: 'opA',
      execute: async () => 'local',
    });
    const run = await sequence.build({ orderId: 7 }, { runId: 'r-1' });
    expect(run.results).toEqual({ remote: 'done elsewhere' });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ runId: 'r-1', input: { orderId: 7 } });
    expect(requests[0]?.graph.layers.map((layer) => layer.name)).toEqual(['a']);
    expect(requests[0]?.sequence).toMatchObject({
      name: 'handed',
      layers: [{ name: 'a', operation: 'opA' }],
    });
  });

  it('refuses a backend without a run method, naming the option', () => {
    const error = catchError(
      () => new AdvancedSequenceBuilder({ backend: {} as unknown as RemoteRunner }),
    );
    expect(error).toMatchObject({ code: 'INVALID_OPTION', path: 'backend' });
    expect((error as Error).message).toContain('createRedisRunner');
  });
});

describe('sequence validation', () => {
  it('refuses a second layer with a taken name', () => {
    const sequence = new AdvancedSequenceBuilder().addLayer({ name: 'a', execute: async () => 1 });
    const error = catchError(() => sequence.addLayer({ name: 'a', execute: async () => 2 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'DUPLICATE_LAYER', layer: 'a' });
    expect(error.message).toContain('`a`');
  });

  it.each([
    ['concurrency', 0, 'expected `concurrency` to be an integer ≥ 1 or `Infinity`, got `0`'],
    ['concurrency', 1.5, 'expected `concurrency` to be an integer ≥ 1 or `Infinity`, got `1.5`'],
    ['maxRetries', -1, 'expected `maxRetries` to be an integer ≥ 0, got `-1`'],
    ['retryDelay', Number.NaN, 'expected `retryDelay` to be an integer ≥ 0'],
    ['timeout', 0, 'expected `timeout` to be an integer ≥ 1, got `0`'],
    ['queueType', 'STACK', "expected `queueType` to be `'FIFO'` or `'LIFO'`, got `'STACK'`"],
  ])(
    'refuses the sequence option `%s: %s` with a message naming the field',
    (field, value, message) => {
      const error = catchError(() => new AdvancedSequenceBuilder({ [field]: value }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code: 'INVALID_OPTION', path: field });
      expect(error.message).toContain(message);
    },
  );

  it('accepts the longest timeout a timer can wait', () => {
    const longest = 2 ** 31 - 1;
    expect(() =>
      new AdvancedSequenceBuilder({ timeout: longest, retryDelay: longest }).addLayer({
        name: 'a',
        execute: async () => 1,
        timeout: longest,
        retryDelay: longest,
      }),
    ).not.toThrow();
  });

  it('accepts Infinity as concurrency', () => {
    expect(
      new AdvancedSequenceBuilder({ concurrency: Number.POSITIVE_INFINITY }).options.concurrency,
    ).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([
    ['priority', Number.NaN],
    ['retries', -1],
    ['retryDelay', 2.5],
    ['timeout', 0],
    ['onError', 'ignore'],
    ['dependsOn', 'b'],
    ['args', ['']],
    ['execute', 'not a function'],
  ])('refuses the layer field `%s: %s`, naming the layer and the field', (field, value) => {
    const sequence = new AdvancedSequenceBuilder();
    const error = catchError(() =>
      sequence.addLayer({ name: 'broken', execute: async () => 1, [field]: value }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION', layer: 'broken', path: field });
    expect(error.message).toContain(`\`${field}\``);
    expect(sequence.layers).toHaveLength(0);
  });

  it('refuses a layer name that could not be saved', () => {
    const error = catchError(() =>
      new AdvancedSequenceBuilder().addLayer({ name: 'has space', execute: async () => 1 }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'INVALID_LAYER' });
  });

  it('names the missing dependency and suggests the close name, before any layer runs', async () => {
    const reserveInventory = neverCalled();
    const createOrder = neverCalled();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'reserveInventory', execute: reserveInventory })
      .addLayer({ name: 'createOrder', execute: createOrder, dependsOn: ['reserveInventry'] });

    const error = await rejectionOf(sequence.build());

    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'UNKNOWN_DEPENDENCY', layer: 'createOrder' });
    expect(error.message).toContain(
      'Layer `createOrder` depends on `reserveInventry`, which does not exist. Did you mean `reserveInventory`?',
    );
    expect(reserveInventory).not.toHaveBeenCalled();
    expect(createOrder).not.toHaveBeenCalled();
  });

  it('names a dependency that no longer exists after removeLayer', async () => {
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'a', execute: neverCalled() })
      .addLayer({ name: 'b', execute: neverCalled(), dependsOn: ['a'] })
      .removeLayer('a');

    const error = await rejectionOf(sequence.build());

    expect(error).toMatchObject({ code: 'UNKNOWN_DEPENDENCY', layer: 'b' });
  });

  it('refuses a cycle with its path, before any layer runs', async () => {
    const functions = { a: neverCalled(), b: neverCalled(), root: neverCalled() };
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'root', execute: functions.root })
      .addLayer({ name: 'a', execute: functions.a, dependsOn: ['b', 'root'] })
      .addLayer({ name: 'b', execute: functions.b, dependsOn: ['a'] });

    const error = await rejectionOf(sequence.build());

    expect(error).toBeInstanceOf(CycleError);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'CYCLE_DETECTED' });
    const cycle = (error as CycleError).cycle;
    expect(isRunOrderCycle(cycle, ['a', 'b'])).toBe(true);
    expect(error.message).toContain(cycle.join(' -> '));
    expect(['a -> b -> a', 'b -> a -> b'].some((path) => error.message.includes(path))).toBe(true);
    for (const fn of Object.values(functions)) expect(fn).not.toHaveBeenCalled();
  });

  it('reports a longer cycle in run order, each layer a dependency of the next', async () => {
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'a', execute: neverCalled(), dependsOn: ['c'] })
      .addLayer({ name: 'b', execute: neverCalled(), dependsOn: ['a'] })
      .addLayer({ name: 'c', execute: neverCalled(), dependsOn: ['b'] });

    const error = await rejectionOf(sequence.build());

    expect(error).toBeInstanceOf(CycleError);
    expect(isRunOrderCycle((error as CycleError).cycle, ['a', 'b', 'c'])).toBe(true);
  });

  it('refuses a layer that depends on itself at once', () => {
    const execute = neverCalled();
    const error = catchError(() =>
      new AdvancedSequenceBuilder().addLayer({ name: 'a', execute, dependsOn: ['a'] }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'CYCLE_DETECTED', layer: 'a' });
    expect(error.message).toContain('a -> a');
    expect(execute).not.toHaveBeenCalled();
  });

  it('reports a layer that depends on itself as a CycleError of that one layer', () => {
    const error = catchError(() =>
      new AdvancedSequenceBuilder().addLayer({
        name: 'a',
        execute: async () => 1,
        dependsOn: ['a'],
      }),
    );
    expect(error).toBeInstanceOf(CycleError);
    expect((error as CycleError).cycle).toEqual(['a', 'a']);
  });

  it('refuses a sequence name with control or bidirectional-override characters, in code and in JSON', () => {
    for (const name of ['bad\u0000name', 'invoice\u202Efdp.exe', 'two\nlines']) {
      expect(catchError(() => new AdvancedSequenceBuilder({ name }))).toMatchObject({
        code: 'INVALID_OPTION',
        path: 'name',
      });
      expect(
        catchError(() =>
          AdvancedSequenceBuilder.fromJSON({
            format: 'fusync.sequence',
            version: 1,
            name,
            layers: [],
          }),
        ),
      ).toMatchObject({ code: 'INVALID_SEQUENCE_JSON', path: 'name' });
    }
    expect(new AdvancedSequenceBuilder({ name: 'Commande n° 7 — été' }).config.name).toBe(
      'Commande n° 7 — été',
    );
  });

  it('refuses to run an empty sequence', async () => {
    const error = await rejectionOf(new AdvancedSequenceBuilder().build());
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'EMPTY_SEQUENCE' });
  });

  it('rejects the run handle before anything runs when the graph is invalid', async () => {
    const execute = neverCalled();
    const handle = new AdvancedSequenceBuilder()
      .addLayer({ name: 'a', execute, dependsOn: ['missing'] })
      .run();

    const error = await rejectionOf(handle.result);

    expect(error).toBeInstanceOf(FusyncError);
    expect(execute).not.toHaveBeenCalled();
  });
});

/**
 * Whether `cycle` is a closed path through exactly `members` where each name
 * is a dependency of the next, given the declaration `x dependsOn previous(x)`
 * used by the tests above (a <- b <- c <- a, read as a -> b -> c -> a).
 */
function isRunOrderCycle(cycle: readonly string[], members: readonly string[]): boolean {
  if (cycle.length !== members.length + 1 || cycle[0] !== cycle.at(-1)) return false;
  const open = cycle.slice(0, -1);
  if ([...open].sort().join() !== [...members].sort().join()) return false;
  const start = members.indexOf(open[0] as string);
  return open.every((name, i) => name === members[(start + i) % members.length]);
}
