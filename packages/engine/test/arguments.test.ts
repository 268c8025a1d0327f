import { describe, expect, it, vi } from 'vitest';
import { AdvancedSequenceBuilder, type LayerContext, type LayerFunction } from '../src/index.js';

/** A layer function that records the values it was called with and returns `returns`. */
function recorder(returns: unknown = undefined) {
  const calls: unknown[][] = [];
  const fn: LayerFunction = async (...args: unknown[]) => {
    calls.push(args);
    return returns;
  };
  return { fn, calls };
}

/** The arguments before the context object of the first call. */
function valuesOf(calls: readonly unknown[][]): unknown[] {
  const first = calls[0];
  if (!first) throw new Error('the layer was not called');
  return first.slice(0, -1);
}

class Account {
  constructor(readonly owner: string) {}
}

describe('argument resolution', () => {
  it('passes the result of an upstream layer named by an argument', async () => {
    const user = recorder();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'profile', execute: async () => ({ id: 7 }) })
      .addLayer({ name: 'user', execute: user.fn, args: ['profile'], dependsOn: ['profile'] });

    await sequence.build({ profile: 'from the input' });

    expect(valuesOf(user.calls)).toEqual([{ id: 7 }]);
  });

  it('reaches layers upstream through other layers, not only direct dependencies', async () => {
    const last = recorder();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'first', execute: async () => 'one' })
      .addLayer({ name: 'second', execute: async () => 'two', dependsOn: ['first'] })
      .addLayer({
        name: 'last',
        execute: last.fn,
        args: ['first', 'second'],
        dependsOn: ['second'],
      });

    await sequence.build();

    expect(valuesOf(last.calls)).toEqual(['one', 'two']);
  });

  it('reads a dotted path `layer.field` into an upstream result', async () => {
    const charge = recorder();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'order', execute: async () => ({ id: 'o-1', total: { cents: 995 } }) })
      .addLayer({
        name: 'charge',
        execute: charge.fn,
        args: ['order.id', 'order.total.cents'],
        dependsOn: ['order'],
      });

    await sequence.build({ 'order.id': 'from the input' });

    expect(valuesOf(charge.calls)).toEqual(['o-1', 995]);
  });

  it('takes a key of the run input', async () => {
    const greet = recorder();
    const sequence = new AdvancedSequenceBuilder().addLayer({
      name: 'greet',
      execute: greet.fn,
      args: ['firstName', 'count', 'missingValue'],
    });

    await sequence.build({ firstName: 'Ada', count: 0, missingValue: undefined });

    expect(valuesOf(greet.calls)).toEqual(['Ada', 0, undefined]);
  });

  it('prefers the input over a field of an upstream result', async () => {
    const use = recorder();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'source', execute: async () => ({ region: 'from the layer' }) })
      .addLayer({ name: 'use', execute: use.fn, args: ['region'], dependsOn: ['source'] });

    await sequence.build({ region: 'from the input' });

    expect(valuesOf(use.calls)).toEqual(['from the input']);
  });

  it('prefers an upstream layer over an input key of the same name', async () => {
    const use = recorder();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'region', execute: async () => 'from the layer' })
      .addLayer({ name: 'use', execute: use.fn, args: ['region'], dependsOn: ['region'] });

    await sequence.build({ region: 'from the input' });

    expect(valuesOf(use.calls)).toEqual(['from the layer']);
  });

  it('does not take the result of a layer that is not upstream', async () => {
    const use = recorder();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'region', execute: async () => 'from an unrelated layer' })
      .addLayer({ name: 'use', execute: use.fn, args: ['region'] });

    await sequence.build({ region: 'from the input' });

    expect(valuesOf(use.calls)).toEqual(['from the input']);
  });

  it('takes a key of a plain-object result of an upstream layer', async () => {
    const pay = recorder();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'createOrder', execute: async () => ({ orderId: 'o-9', lines: 2 }) })
      .addLayer({
        name: 'pay',
        execute: pay.fn,
        args: ['orderId', 'amount'],
        dependsOn: ['createOrder'],
      });

    await sequence.build({ amount: 12 });

    expect(valuesOf(pay.calls)).toEqual(['o-9', 12]);
  });

  it('fails the layer when two upstream results both hold the key, naming both', async () => {
    const use = recorder();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'left', execute: async () => ({ id: 1 }) })
      .addLayer({ name: 'right', execute: async () => ({ id: 2 }) })
      .addLayer({ name: 'use', execute: use.fn, args: ['id'], dependsOn: ['left', 'right'] });

    const run = await sequence.build();

    expect(use.calls).toHaveLength(0);
    expect(run.status).toBe('failed');
    expect(run.errors.use).toMatchObject({ code: 'ARGUMENT_AMBIGUOUS' });
    expect(run.errors.use?.message).toContain('`use`');
    expect(run.errors.use?.message).toContain('`id`');
    expect(run.errors.use?.message).toContain('`left`');
    expect(run.errors.use?.message).toContain('`right`');
  });

  it('resolves an ambiguous key once the input provides it', async () => {
    const use = recorder();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'left', execute: async () => ({ id: 1 }) })
      .addLayer({ name: 'right', execute: async () => ({ id: 2 }) })
      .addLayer({
        name: 'use',
        execute: use.fn,
        args: ['id', 'right.id'],
        dependsOn: ['left', 'right'],
      });

    await sequence.build({ id: 0 });

    expect(valuesOf(use.calls)).toEqual([0, 2]);
  });

  it.each([
    ['a name nothing provides', ['nowhere'], 'nowhere'],
    ['a dotted path to a missing field', ['source.missing'], 'source.missing'],
    ['a key of a result that is not a plain object', ['owner'], 'owner'],
  ])('fails the layer for %s, naming the layer and the argument', async (_, args, argument) => {
    const use = recorder();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'source', execute: async () => new Account('ada') })
      .addLayer({ name: 'consumer', execute: use.fn, args, dependsOn: ['source'], retries: 2 });

    const run = await sequence.build({ unrelated: true });

    expect(use.calls).toHaveLength(0);
    expect(run.status).toBe('failed');
    const consumer = run.layers.find((layer) => layer.name === 'consumer');
    expect(consumer?.status).toBe('failed');
    expect(consumer?.attempts).toHaveLength(1);
    expect(run.errors.consumer).toMatchObject({ code: 'ARGUMENT_UNRESOLVED' });
    expect(run.errors.consumer?.message).toContain('`consumer`');
    expect(run.errors.consumer?.message).toContain(`\`${argument}\``);
  });

  it('passes the results of dependsOn in order when a layer has no args', async () => {
    const join = recorder();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'a', execute: async () => 'A' })
      .addLayer({ name: 'b', execute: async () => ({ b: true }) })
      .addLayer({ name: 'c', execute: async () => 3 })
      .addLayer({ name: 'join', execute: join.fn, dependsOn: ['c', 'a', 'b'] });

    await sequence.build({ a: 'input a' });

    expect(valuesOf(join.calls)).toEqual([3, 'A', { b: true }]);
  });

  it('passes only the context to a root layer without args', async () => {
    const root = recorder();
    await new AdvancedSequenceBuilder()
      .addLayer({ name: 'root', execute: root.fn })
      .build({ x: 1 });
    expect(root.calls[0]).toHaveLength(1);
    expect(valuesOf(root.calls)).toEqual([]);
  });

  it('passes only the context when args is empty, even with dependencies', async () => {
    const after = recorder();
    await new AdvancedSequenceBuilder()
      .addLayer({ name: 'before', execute: async () => 'ignored' })
      .addLayer({ name: 'after', execute: after.fn, args: [], dependsOn: ['before'] })
      .build();
    expect(after.calls[0]).toHaveLength(1);
  });

  it('passes every count of named arguments in order, the context last', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const builder = new AdvancedSequenceBuilder().addLayer({
      name: 'source',
      execute: async () => ({ d: 'D', e: 'E' }),
    });
    const seen: Record<number, unknown[]> = {};
    for (let count = 0; count <= names.length; count++) {
      builder.addLayer({
        name: `take${count}`,
        dependsOn: ['source'],
        args: names.slice(0, count),
        execute: async (...args: unknown[]) => {
          seen[count] = args;
        },
      });
    }

    const run = await builder.build({ a: 'A', b: 'B', c: 'C' });

    expect(run.status).toBe('succeeded');
    for (let count = 0; count <= names.length; count++) {
      const args = seen[count] ?? [];
      expect(args.slice(0, -1)).toEqual(['A', 'B', 'C', 'D', 'E'].slice(0, count));
      expect(args).toHaveLength(count + 1);
      expect(args.at(-1)).toMatchObject({ layer: `take${count}`, attempt: 1 });
    }
  });

  it('always passes the context { signal, attempt, layer, runId } last', async () => {
    const withArgs = recorder();
    const withoutArgs = recorder();
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'withArgs', execute: withArgs.fn, args: ['x', 'y'] })
      .addLayer({ name: 'withoutArgs', execute: withoutArgs.fn, dependsOn: ['withArgs'] });

    await sequence.build({ x: 1, y: 2 }, { runId: 'run-ctx' });

    for (const [calls, layer, count] of [
      [withArgs.calls, 'withArgs', 3],
      [withoutArgs.calls, 'withoutArgs', 2],
    ] as const) {
      const call = calls[0] as unknown[];
      expect(call).toHaveLength(count);
      const context = call.at(-1) as LayerContext;
      expect(Object.keys(context).sort()).toEqual(['attempt', 'layer', 'runId', 'signal']);
      expect(context.signal).toBeInstanceOf(AbortSignal);
      expect(context).toMatchObject({ attempt: 1, layer, runId: 'run-ctx' });
    }
  });

  it('counts attempts in the context across retries', async () => {
    const attempts: number[] = [];
    const flaky = vi.fn(async ({ attempt }: LayerContext) => {
      attempts.push(attempt);
      if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
      return attempt;
    });
    const run = await new AdvancedSequenceBuilder({ maxRetries: 2 })
      .addLayer({ name: 'flaky', execute: flaky })
      .build();

    expect(attempts).toEqual([1, 2, 3]);
    expect(run.results.flaky).toBe(3);
  });

  it('keeps each result under its layer name in the run results', async () => {
    const run = await new AdvancedSequenceBuilder()
      .addLayer({ name: 'number', execute: async () => 1 })
      .addLayer({ name: 'nothing', execute: async () => undefined })
      .addLayer({ name: 'object', execute: async (n: number) => ({ n }), dependsOn: ['number'] })
      .build();

    expect(run.results).toEqual({ number: 1, nothing: undefined, object: { n: 1 } });
    expect(Object.keys(run.results).sort()).toEqual(['nothing', 'number', 'object']);
  });
});
