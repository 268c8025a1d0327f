/**
 * One scheduling contract, two queues: every scenario here runs against the
 * in-memory engine and against Redis (`useRedis: true`, layers executed by the
 * embedded worker) and must give the same, documented answer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AdvancedSequenceBuilder,
  type LayerConfig,
  type LayerContext,
  type SequenceConfig,
} from '../../src/index.js';
import { maxRunning, startOrder } from '../helpers.js';
import { createTestSpace, type TestSpace } from './redis-helpers.js';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe.each([['memory'], ['redis']] as const)('scheduling on the %s queue', (mode) => {
  let space: TestSpace | undefined;
  beforeEach(() => {
    space = mode === 'redis' ? createTestSpace() : undefined;
  });
  afterEach(async () => {
    await space?.cleanup();
  });

  function sequence(config: SequenceConfig = {}): AdvancedSequenceBuilder {
    return new AdvancedSequenceBuilder(
      space ? { ...config, useRedis: true, redisOptions: space.connection } : config,
    );
  }

  /** A layer that records its start in `calls` and takes `ms`. */
  function recorded(calls: string[], name: string, ms = 1): LayerConfig {
    return {
      name,
      operation: 'recorded',
      execute: async () => {
        calls.push(name);
        await sleep(ms);
        return name;
      },
    };
  }

  it('starts ready layers by priority, highest first, at concurrency 1', async () => {
    const calls: string[] = [];
    const priorities = { p1: 1, p5: 5, p3: 3, p0: 0, p4: 4, p2: 2 };
    const builder = sequence({ concurrency: 1 }).addLayer(recorded(calls, 'gate'));
    for (const [name, priority] of Object.entries(priorities))
      builder.addLayer({ ...recorded(calls, name), priority, dependsOn: ['gate'] });

    const run = await builder.build();

    expect(run.status).toBe('succeeded');
    const expected = ['gate', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0'];
    expect(calls).toEqual(expected);
    expect(startOrder(run.events)).toEqual(expected);
  });

  it('breaks priority ties oldest first under FIFO, declaration order for layers ready together', async () => {
    const calls: string[] = [];
    const run = await sequence({ concurrency: 1, queueType: 'FIFO' })
      .addLayer(recorded(calls, 'r1'))
      .addLayer(recorded(calls, 'r2'))
      .addLayer(recorded(calls, 'r3'))
      .addLayer({ ...recorded(calls, 'afterR1'), dependsOn: ['r1'] })
      .addLayer({ ...recorded(calls, 'urgent'), dependsOn: ['r1'], priority: 1 })
      .build();

    expect(run.status).toBe('succeeded');
    expect(calls).toEqual(['r1', 'urgent', 'r2', 'r3', 'afterR1']);
    expect(startOrder(run.events)).toEqual(calls);
  });

  it('breaks priority ties newest first under LIFO, the last declared first for layers ready together', async () => {
    const calls: string[] = [];
    const run = await sequence({ concurrency: 1, queueType: 'LIFO' })
      .addLayer(recorded(calls, 'r1'))
      .addLayer(recorded(calls, 'r2'))
      .addLayer(recorded(calls, 'r3'))
      .addLayer({ ...recorded(calls, 'afterR3'), dependsOn: ['r3'] })
      .addLayer({ ...recorded(calls, 'lowAfterR3'), dependsOn: ['r3'], priority: -1 })
      .build();

    expect(run.status).toBe('succeeded');
    expect(calls).toEqual(['r3', 'afterR3', 'r2', 'r1', 'lowAfterR3']);
    expect(startOrder(run.events)).toEqual(calls);
  });

  it('never runs more layers at once than the concurrency, and reaches it', async () => {
    let running = 0;
    let most = 0;
    const builder = sequence({ concurrency: 3 });
    for (let i = 0; i < 24; i++) {
      builder.addLayer({
        name: `l${i}`,
        operation: 'counted',
        dependsOn: i >= 12 ? [`l${i - 12}`] : [],
        execute: async () => {
          running++;
          most = Math.max(most, running);
          await sleep(5 + (i % 4) * 3);
          running--;
        },
      });
    }

    const run = await builder.build();

    expect(run.status).toBe('succeeded');
    expect(most).toBe(3);
    expect(maxRunning(run.events)).toBe(3);
  });

  it('resolves arguments from upstream results, dotted paths, the input and upstream fields', async () => {
    const seen: Record<string, unknown[]> = {};
    const keep =
      (name: string, result: unknown) =>
      async (...args: unknown[]) => {
        seen[name] = args;
        return result;
      };
    const run = await sequence()
      .addLayer({
        name: 'user',
        operation: 'user',
        execute: keep('user', { id: 'u-1', address: { city: 'Lyon' } }),
      })
      .addLayer({
        name: 'cart',
        operation: 'cart',
        execute: keep('cart', { total: 30, currency: 'EUR' }),
      })
      .addLayer({
        name: 'invoice',
        operation: 'invoice',
        execute: keep('invoice', 'inv-1'),
        dependsOn: ['user', 'cart'],
        args: ['user', 'user.address.city', 'currency', 'vat', 'total'],
      })
      .addLayer({
        name: 'noArgs',
        operation: 'noArgs',
        execute: keep('noArgs', null),
        dependsOn: ['cart', 'invoice'],
      })
      .addLayer({
        name: 'transitive',
        operation: 'transitive',
        execute: keep('transitive', null),
        dependsOn: ['noArgs'],
        args: ['user.id', 'invoice'],
      })
      .build({ vat: 0.2, currency: 'CHF' });

    expect(run.status).toBe('succeeded');
    expect(seen.invoice?.slice(0, -1)).toEqual([
      { id: 'u-1', address: { city: 'Lyon' } },
      'Lyon',
      'CHF',
      0.2,
      30,
    ]);
    expect(seen.noArgs?.slice(0, -1)).toEqual([{ total: 30, currency: 'EUR' }, 'inv-1']);
    expect(seen.transitive?.slice(0, -1)).toEqual(['u-1', 'inv-1']);
    const context = seen.invoice?.at(-1) as LayerContext;
    expect(context).toMatchObject({ attempt: 1, layer: 'invoice', runId: run.runId });
    expect(context.signal).toBeInstanceOf(AbortSignal);
  });

  it('fails a layer whose argument is ambiguous or resolves to nothing, naming it', async () => {
    const run = await sequence()
      .addLayer({ name: 'a', operation: 'a', execute: async () => ({ id: 1 }) })
      .addLayer({ name: 'b', operation: 'b', execute: async () => ({ id: 2 }) })
      .addLayer({
        name: 'ambiguous',
        operation: 'ambiguous',
        execute: async () => 'never',
        dependsOn: ['a', 'b'],
        args: ['id'],
        onError: 'continue',
      })
      .addLayer({
        name: 'missing',
        operation: 'missing',
        execute: async () => 'never',
        args: ['nowhere'],
        onError: 'continue',
      })
      .build();

    expect(run.status).toBe('failed');
    expect(run.errors.ambiguous?.code).toBe('ARGUMENT_AMBIGUOUS');
    expect(run.errors.missing?.code).toBe('ARGUMENT_UNRESOLVED');
    expect(run.errors.missing?.message).toContain('`nowhere`');
    expect(run.layers.map((layer) => [layer.name, layer.status, layer.attempts.length])).toEqual([
      ['a', 'succeeded', 1],
      ['b', 'succeeded', 1],
      ['ambiguous', 'failed', 1],
      ['missing', 'failed', 1],
    ]);
  });

  it('hands an upstream result of undefined on as undefined', async () => {
    let received: unknown[] = [];
    const run = await sequence()
      .addLayer({ name: 'nothing', operation: 'nothing', execute: async () => undefined })
      .addLayer({
        name: 'withDefault',
        operation: 'withDefault',
        dependsOn: ['nothing'],
        execute: async (value: unknown = 'default') => {
          received = [value];
          return value;
        },
      })
      .build();

    expect(run.status).toBe('succeeded');
    expect(received).toEqual(['default']);
    expect(run.results.nothing).toBeUndefined();
  });

  it('runs layers whose functions have no name and no operation', async () => {
    const make = (value: number) => async () => value;
    const run = await sequence()
      .addLayer({ name: 'one', execute: make(1) })
      .addLayer({ name: 'two', execute: make(2), dependsOn: ['one'] })
      .build();

    expect(run.status).toBe('succeeded');
    expect(run.results).toEqual({ one: 1, two: 2 });
  });

  it("records each attempt's arguments and the run input", async () => {
    const run = await sequence()
      .addLayer({
        name: 'price',
        operation: 'price',
        args: ['sku', 'quantity'],
        execute: async (sku: string, quantity: number) => ({ sku, total: quantity * 5 }),
      })
      .addLayer({
        name: 'charge',
        operation: 'charge',
        args: ['price.total', 'customer'],
        dependsOn: ['price'],
        execute: async (total: number, customer: { id: string }) => `${customer.id}:${total}`,
      })
      .build({ sku: 'sku-1', quantity: 3, customer: { id: 'c-9' } });

    expect(run.status).toBe('succeeded');
    expect(run.input).toEqual({ sku: 'sku-1', quantity: 3, customer: { id: 'c-9' } });
    expect(run.layers.map((layer) => layer.attempts.map((attempt) => attempt.args))).toEqual([
      [['sku-1', 3]],
      [[15, { id: 'c-9' }]],
    ]);
    // Who ran each attempt: this process in memory, the worker process over Redis.
    const workers = run.layers.flatMap((layer) => layer.attempts.map((attempt) => attempt.worker));
    expect(workers).toEqual(
      mode === 'memory'
        ? ['memory', 'memory']
        : [expect.stringMatching(/^worker-/), expect.stringMatching(/^worker-/)],
    );
  });

  it('reruns from the failure, reusing what succeeded and calling only the failed layer and its downstream', async () => {
    const calls: string[] = [];
    const builder = sequence()
      .addLayer(recorded(calls, 'a'))
      .addLayer(recorded(calls, 'b'))
      .addLayer({
        name: 'gate',
        operation: 'gate',
        args: ['open'],
        dependsOn: ['a'],
        onError: 'continue',
        execute: async (open: boolean) => {
          calls.push('gate');
          if (!open) throw new Error('gate closed');
          return 'through';
        },
      })
      .addLayer({ ...recorded(calls, 'after'), args: ['gate', 'b'], dependsOn: ['gate', 'b'] });

    const failed = await builder.build({ open: false });
    expect(failed.status).toBe('failed');
    expect(calls.sort()).toEqual(['a', 'b', 'gate']);
    calls.length = 0;

    const again = await builder.rerun(failed.events, { input: { open: true } });

    expect(again.status).toBe('succeeded');
    expect(again.parentRunId).toBe(failed.runId);
    expect(calls).toEqual(['gate', 'after']);
    expect(
      again.layers.map((layer) => [layer.name, layer.reusedFrom, layer.attempts.length]),
    ).toEqual([
      ['a', failed.runId, 0],
      ['b', failed.runId, 0],
      ['gate', undefined, 1],
      ['after', undefined, 1],
    ]);
    expect(again.layers[3]?.attempts[0]?.args).toEqual(['through', 'b']);
    expect(again.results).toEqual({ a: 'a', b: 'b', gate: 'through', after: 'after' });
  });
});
