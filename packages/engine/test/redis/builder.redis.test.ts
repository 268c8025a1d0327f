/**
 * `useRedis: true` straight from the builder: the same sequence run in memory
 * and through Redis gives the same statuses, results and event types per
 * layer, and a Redis run leaves no handle open.
 */
import { delay } from '@fusync/demo';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AdvancedSequenceBuilder,
  type LayerContext,
  type RunResult,
  type SequenceConfig,
} from '../../src/index.js';
import { untilAborted } from '../helpers.js';
import { advancedExample, orderInput } from './fixtures/order-operations.js';
import {
  createTestSpace,
  eventTypesByLayer,
  exitsWithin,
  keysUnder,
  spawnFixture,
  type TestSpace,
} from './redis-helpers.js';

let space: TestSpace;
beforeEach(() => {
  space = createTestSpace();
});
afterEach(async () => {
  await space.cleanup();
});

type Mode = 'memory' | 'redis';

function configFor(mode: Mode, config: SequenceConfig = {}): SequenceConfig {
  return mode === 'redis'
    ? { ...config, useRedis: true, redisOptions: space.connection }
    : { ...config, useRedis: false };
}

/** Builds the same sequence in memory and over Redis, one after the other. */
async function buildBoth(
  make: (config: SequenceConfig) => AdvancedSequenceBuilder,
  config: SequenceConfig = {},
  input: Record<string, unknown> = {},
): Promise<Record<Mode, RunResult>> {
  const memory = await make(configFor('memory', config)).build(input);
  const redis = await make(configFor('redis', config)).build(input);
  return { memory, redis };
}

/** What must be the same whichever queue ran the sequence (run ids in messages read `<run>`). */
function outcomeOf(run: RunResult): unknown {
  const outcome = {
    status: run.status,
    error: run.error && { name: run.error.name, message: run.error.message, code: run.error.code },
    layers: run.layers.map((layer) => ({
      name: layer.name,
      status: layer.status,
      attempts: layer.attempts.map((attempt) => attempt.outcome),
      skippedBecause: layer.skippedBecause,
    })),
    results: run.results,
    errors: run.errors,
    eventTypes: eventTypesByLayer(run.events),
  };
  return JSON.parse(JSON.stringify(outcome).replaceAll(run.runId, '<run>'));
}

describe('the seed advanced example with useRedis: true', () => {
  it('runs through Redis under the given prefix and gives the in-memory results', async () => {
    const memory = await advancedExample(
      new AdvancedSequenceBuilder(configFor('memory', { queueType: 'FIFO', concurrency: 5 })),
    ).build(orderInput);
    const redis = await advancedExample(
      new AdvancedSequenceBuilder(configFor('redis', { queueType: 'FIFO', concurrency: 5 })),
    ).build(orderInput);

    expect(redis.status).toBe('succeeded');
    expect(redis.results).toEqual(memory.results);
    expect(redis.results).toEqual({
      checkInventory: { inStock: true },
      validateCustomer: true,
      reserveInventory: { reservation: 'p-1x2' },
      createOrder: { orderId: 'o-c-7-p-1-2' },
      processPayment: 'paid 42 for o-c-7-p-1-2',
    });
    expect(outcomeOf(redis)).toEqual(outcomeOf(memory));

    const keys = await keysUnder(space.admin, space.prefix);
    const run = `${space.prefix}:run:{${redis.runId}}`;
    expect(keys).toEqual(expect.arrayContaining([`${run}:meta`, `${run}:events`, `${run}:inputs`]));
    expect(await space.admin.hget(`${run}:meta`, 'status')).toBe('succeeded');
    const stored = await space.admin.xrange(`${run}:events`, '-', '+');
    expect(stored.flatMap(([, fields]) => JSON.parse(fields[1] as string))).toEqual(
      JSON.parse(JSON.stringify(redis.events)),
    );
    // Nothing of the run outside its prefix, and the run's own queue is gone.
    let cursor = '0';
    const outside: string[] = [];
    do {
      const [next, found] = await space.admin.scan(
        cursor,
        'MATCH',
        `*${redis.runId}*`,
        'COUNT',
        1000,
      );
      cursor = next;
      outside.push(...found.filter((key) => !key.startsWith(`${space.prefix}:`)));
    } while (cursor !== '0');
    expect(outside).toEqual([]);
    expect(keys.filter((key) => key.startsWith(`${space.prefix}:bull:`))).toEqual([]);
  });

  it('leaves no open handle: a program that builds it exits by itself', async () => {
    const child = await spawnFixture(
      'advanced-example.ts',
      { ...space.env, FUSYNC_PREFIX: space.prefix },
      undefined,
    );
    space.onCleanup(() => child.kill());
    const exitedAlone = await exitsWithin(child.child, 15_000);
    expect(exitedAlone, `still running after 15 s:\n${child.output()}`).toBe(true);
    expect(await child.exited).toEqual({ code: 0, signal: null });
    const printed = JSON.parse(child.output().trim().split('\n').at(-1) ?? '{}') as {
      status?: string;
      results?: unknown;
    };
    expect(printed.status).toBe('succeeded');
    expect(printed.results).toMatchObject({ processPayment: 'paid 42 for o-c-7-p-1-2' });
  });
});

describe('useRedis: true behaves as the in-memory engine', () => {
  it('retries a failing layer with the same attempts and events', async () => {
    const { memory, redis } = await buildBoth(
      (config) =>
        new AdvancedSequenceBuilder(config)
          .addLayer({
            name: 'flaky',
            execute: async function flaky(context: LayerContext) {
              if (context.attempt < 3) throw new Error(`attempt ${context.attempt} failed`);
              return `ok on attempt ${context.attempt}`;
            },
            retries: 2,
            retryDelay: 20,
          })
          .addLayer({
            name: 'usesDefault',
            execute: async function usesDefault() {
              throw new Error('always fails');
            },
            onError: 'continue',
          })
          .addLayer({
            name: 'after',
            execute: async function after(flaky: string) {
              return `${flaky}!`;
            },
            dependsOn: ['flaky'],
          }),
      { maxRetries: 1, retryDelay: 10 },
    );

    expect(redis.status).toBe('failed');
    expect(redis.results.after).toBe('ok on attempt 3!');
    expect(redis.layers.find((l) => l.name === 'usesDefault')?.attempts).toHaveLength(2);
    expect(outcomeOf(redis)).toEqual(outcomeOf(memory));
  });

  it("skips what depends on a failed 'continue' layer and finishes the independent branch", async () => {
    const { memory, redis } = await buildBoth((config) =>
      new AdvancedSequenceBuilder(config)
        .addLayer({
          name: 'broken',
          execute: async function broken() {
            throw new TypeError('no such order');
          },
          onError: 'continue',
        })
        .addLayer({
          name: 'downstream',
          execute: async function downstream() {},
          dependsOn: ['broken'],
        })
        .addLayer({
          name: 'further',
          execute: async function further() {},
          dependsOn: ['downstream'],
        })
        .addLayer({
          name: 'independent',
          execute: async function independent() {
            await delay(30);
            return 'done';
          },
        }),
    );

    expect(redis.status).toBe('failed');
    expect(redis.errors.broken).toEqual({ name: 'TypeError', message: 'no such order' });
    expect(redis.results).toEqual({ independent: 'done' });
    expect(outcomeOf(redis)).toEqual(outcomeOf(memory));
  });

  it("stops the run when an 'abort' layer fails: running layers cancelled, the rest skipped", async () => {
    const { memory, redis } = await buildBoth((config) =>
      new AdvancedSequenceBuilder(config)
        .addLayer({
          name: 'broken',
          execute: async function broken() {
            await delay(80);
            throw new Error('payment gateway down');
          },
        })
        .addLayer({
          name: 'long',
          execute: async function long(context: LayerContext) {
            await untilAborted(context.signal);
          },
        })
        .addLayer({ name: 'later', execute: async function later() {}, dependsOn: ['long'] }),
    );

    expect(redis.status).toBe('failed');
    expect(redis.error?.message).toBe('payment gateway down');
    expect(redis.layers.map((l) => [l.name, l.status])).toEqual([
      ['broken', 'failed'],
      ['long', 'cancelled'],
      ['later', 'skipped'],
    ]);
    expect(outcomeOf(redis)).toEqual(outcomeOf(memory));
  });

  it('times out attempts through their signal, retries them, and fails the layer', async () => {
    const { memory, redis } = await buildBoth(
      (config) =>
        new AdvancedSequenceBuilder(config)
          .addLayer({
            name: 'hangs',
            execute: async function hangs(context: LayerContext) {
              await delay(5000, context.signal);
            },
            retries: 1,
            onError: 'continue',
          })
          .addLayer({
            name: 'inTime',
            execute: async function inTime() {
              await delay(10);
              return 'in time';
            },
            timeout: 2000,
          })
          .addLayer({
            name: 'skipped',
            execute: async function skipped() {},
            dependsOn: ['hangs'],
          }),
      { timeout: 60 },
    );

    expect(redis.status).toBe('failed');
    expect(redis.errors.hangs?.code).toBe('LAYER_TIMEOUT');
    expect(redis.layers[0]?.attempts.map((a) => a.outcome)).toEqual(['retrying', 'failed']);
    expect(outcomeOf(redis)).toEqual(outcomeOf(memory));
  });

  it('cancels a run through run().cancel(): the running layer aborted, the rest skipped', async () => {
    const runIn = async (mode: Mode): Promise<RunResult> => {
      let seen!: () => void;
      const started = new Promise<void>((resolve) => {
        seen = resolve;
      });
      const sequence = new AdvancedSequenceBuilder(configFor(mode, { concurrency: 1 }))
        .addLayer({
          name: 'blocker',
          execute: async function blocker(context: LayerContext) {
            seen();
            await untilAborted(context.signal);
          },
          priority: 1,
        })
        .addLayer({ name: 'waiting', execute: async function waiting() {} })
        .addLayer({ name: 'next', execute: async function next() {}, dependsOn: ['blocker'] });
      const run = sequence.run({});
      await started;
      run.cancel();
      return run.result;
    };
    const memory = await runIn('memory');
    const redis = await runIn('redis');

    expect(redis.status).toBe('cancelled');
    expect(redis.layers.map((l) => [l.name, l.status])).toEqual([
      ['blocker', 'cancelled'],
      ['waiting', 'skipped'],
      ['next', 'skipped'],
    ]);
    expect(outcomeOf(redis)).toEqual(outcomeOf(memory));
  });

  it('cancels a run through the signal option of build()', async () => {
    const runIn = async (mode: Mode): Promise<RunResult> => {
      const controller = new AbortController();
      const sequence = new AdvancedSequenceBuilder(configFor(mode))
        .addLayer({
          name: 'blocker',
          execute: async function blocker(context: LayerContext) {
            controller.abort();
            await untilAborted(context.signal);
          },
        })
        .addLayer({ name: 'next', execute: async function next() {}, dependsOn: ['blocker'] });
      return sequence.build({}, { signal: controller.signal });
    };
    const memory = await runIn('memory');
    const redis = await runIn('redis');

    expect(redis.status).toBe('cancelled');
    expect(redis.layers.map((l) => l.status)).toEqual(memory.layers.map((l) => l.status));
    expect(eventTypesByLayer(redis.events)).toEqual(eventTypesByLayer(memory.events));
  });

  it('records the reason given to cancel(reason) as the in-memory engine does', async () => {
    const runIn = async (mode: Mode): Promise<RunResult> => {
      let seen!: () => void;
      const started = new Promise<void>((resolve) => {
        seen = resolve;
      });
      const run = new AdvancedSequenceBuilder(configFor(mode))
        .addLayer({
          name: 'blocker',
          execute: async function blocker(context: LayerContext) {
            seen();
            await untilAborted(context.signal);
          },
        })
        .run({});
      await started;
      run.cancel(new Error('the customer left'));
      return run.result;
    };
    const memory = await runIn('memory');
    const redis = await runIn('redis');

    expect(memory.error).toMatchObject({ name: 'Error', message: 'the customer left' });
    expect(redis.status).toBe('cancelled');
    expect(redis.error).toMatchObject({ name: memory.error?.name, message: memory.error?.message });
  });
});
