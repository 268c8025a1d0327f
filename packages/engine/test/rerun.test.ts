import { describe, expect, it } from 'vitest';
import {
  AdvancedSequenceBuilder,
  FusyncError,
  isOmittedValue,
  planRerun,
  type RunEvent,
  renderMetrics,
  renderTimeline,
  runRecordFromEvents,
  toWireEvent,
  toWireValue,
  VirtualClock,
  WIRE_VALUE_LIMIT,
} from '../src/index.js';
import { settleOnClock } from './helpers.js';

/**
 * The README's order sequence with counted calls: `createOrder` fails while
 * `failCreate.on` is set, so a test can fix it and rerun.
 */
function orderSequence(failCreate = { on: true }) {
  const calls: Record<string, number> = {};
  const counted =
    <A extends unknown[], R>(name: string, fn: (...args: A) => R) =>
    (...args: A): R => {
      calls[name] = (calls[name] ?? 0) + 1;
      return fn(...args);
    };
  const sequence = new AdvancedSequenceBuilder({ name: 'order' })
    .addLayer({
      name: 'checkInventory',
      args: ['productId', 'quantity'],
      execute: counted('checkInventory', async (productId: string, quantity: number) => ({
        productId,
        available: quantity <= 5,
      })),
    })
    .addLayer({
      name: 'validateCustomer',
      args: ['customerId'],
      execute: counted('validateCustomer', async (customerId: string) => ({
        customerId,
        valid: true,
      })),
    })
    .addLayer({
      name: 'reserveInventory',
      args: ['productId', 'quantity'],
      dependsOn: ['checkInventory'],
      execute: counted('reserveInventory', async (productId: string, quantity: number) => ({
        reservationId: `res-${productId}-${quantity}`,
      })),
    })
    .addLayer({
      name: 'createOrder',
      args: ['customerId', 'reservationId'],
      dependsOn: ['validateCustomer', 'reserveInventory'],
      onError: 'continue',
      execute: counted('createOrder', async (customerId: string, reservationId: string) => {
        if (failCreate.on) throw new Error(`order store refused ${customerId}`);
        return { orderId: `order-${customerId}`, reservationId, amount: 42 };
      }),
    })
    .addLayer({
      name: 'processPayment',
      args: ['orderId', 'amount'],
      dependsOn: ['createOrder'],
      execute: counted('processPayment', async (orderId: string, amount: number) => ({
        paid: amount,
        orderId,
      })),
    });
  return { sequence, calls, failCreate };
}

const INPUT = { productId: 'sku-42', quantity: 3, customerId: 'cust-7' };

describe('arguments in the record', () => {
  it('records the values each attempt was called with, without the context, by reference', async () => {
    const seen: unknown[][] = [];
    const input = { config: { region: 'eu' } };
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'load', args: ['config'], execute: async (config: object) => ({ config }) })
      .addLayer({
        name: 'use',
        dependsOn: ['load'],
        execute: async (...args: unknown[]) => {
          seen.push(args);
          return 1;
        },
      });
    const run = await sequence.build(input);
    const [load, use] = run.layers;
    expect(load?.attempts[0]?.args).toEqual([{ region: 'eu' }]);
    // The values themselves, not copies.
    expect(load?.attempts[0]?.args?.[0]).toBe(input.config);
    expect(use?.attempts[0]?.args).toHaveLength(1);
    expect(use?.attempts[0]?.args?.[0]).toBe(run.results.load);
    // The function received the same value, then its context.
    expect(seen[0]?.[0]).toBe(run.results.load);
    expect(seen[0]).toHaveLength(2);
  });

  it('puts the arguments in every layer:started event, each retry included', async () => {
    const clock = new VirtualClock(0);
    let tries = 0;
    const events: RunEvent[] = [];
    const sequence = new AdvancedSequenceBuilder({ retryDelay: 10 }).addLayer({
      name: 'flaky',
      args: ['a', 'b', 'c', 'd'],
      retries: 1,
      execute: async (...args: unknown[]) => {
        tries++;
        if (tries === 1) throw new Error('once');
        return args.length;
      },
    });
    const run = await settleOnClock(
      clock,
      sequence.build({ a: 1, b: 2, c: 3, d: 4 }, { clock, onEvent: (e) => events.push(e) }),
    );
    const started = events.filter((e) => e.type === 'layer:started');
    expect(started.map((e) => e.args)).toEqual([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]);
    // Four arguments and the context: the recorded list did not grow the context onto it.
    expect(run.results.flaky).toBe(5);
    expect(run.layers[0]?.attempts.map((a) => a.args)).toEqual([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]);
  });

  it('leaves args out of an attempt whose arguments do not resolve, and records why it failed', async () => {
    const sequence = new AdvancedSequenceBuilder().addLayer({
      name: 'needsId',
      args: ['orderId'],
      execute: async (id: string) => id,
    });
    const run = await sequence.build({});
    const attempt = run.layers[0]?.attempts[0];
    expect(attempt?.args).toBeUndefined();
    expect(attempt?.error?.code).toBe('ARGUMENT_UNRESOLVED');
  });

  it('records the run input in run:started and the record', async () => {
    const { sequence } = orderSequence({ on: false });
    const run = await sequence.build(INPUT);
    expect(run.input).toBe(INPUT);
    const started = run.events[0];
    expect(started?.type === 'run:started' && started.input).toBe(INPUT);
    expect(runRecordFromEvents(JSON.parse(JSON.stringify(run.events))).input).toEqual(INPUT);
  });
});

describe('values that cross a boundary', () => {
  it('keeps small JSON values and replaces large or non-JSON ones with a marker giving why', () => {
    expect(toWireValue({ a: [1, 'x', null] })).toEqual({ a: [1, 'x', null] });
    expect(toWireValue('short')).toBe('short');
    expect(toWireValue(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    const big = 'x'.repeat(WIRE_VALUE_LIMIT);
    expect(toWireValue(big)).toEqual({
      $fusync: 'omitted',
      reason: 'too-large',
      bytes: WIRE_VALUE_LIMIT + 2,
      type: 'string',
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(toWireValue(cyclic)).toEqual({ $fusync: 'omitted', reason: 'not-json', type: 'object' });
    expect(toWireValue(() => 1)).toEqual({
      $fusync: 'omitted',
      reason: 'not-json',
      type: 'function',
    });
    expect(toWireValue(10n)).toEqual({ $fusync: 'omitted', reason: 'not-json', type: 'bigint' });
    expect(toWireValue(undefined)).toEqual({
      $fusync: 'omitted',
      reason: 'undefined',
      type: 'undefined',
    });
    expect(isOmittedValue(toWireValue(big))).toBe(true);
    expect(isOmittedValue({ a: 1 })).toBe(false);
  });

  it('makes a started event JSON-safe and leaves the original event alone', async () => {
    const huge = { rows: Array.from({ length: 10_000 }, (_, i) => ({ i })) };
    const sequence = new AdvancedSequenceBuilder().addLayer({
      name: 'import',
      args: ['rows', 'batch'],
      execute: async () => 'ok',
    });
    const run = await sequence.build({ rows: huge, batch: 7 });
    const started = run.events.find((e) => e.type === 'layer:started');
    const wire = toWireEvent(started as RunEvent);
    expect(wire.type === 'layer:started' && wire.args?.[1]).toBe(7);
    const first = wire.type === 'layer:started' ? wire.args?.[0] : undefined;
    expect(isOmittedValue(first) && first.reason).toBe('too-large');
    expect(started?.type === 'layer:started' && started.args?.[0]).toBe(huge);
  });
});

describe('rerun', () => {
  it('reruns only what failed and what depends on it, reusing the rest', async () => {
    const { sequence, calls, failCreate } = orderSequence();
    const failed = await sequence.build(INPUT);
    expect(failed.status).toBe('failed');
    expect(failed.layers.map((l) => l.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'failed',
      'skipped',
    ]);
    failCreate.on = false;
    const again = await sequence.rerun(failed);

    expect(again.status).toBe('succeeded');
    expect(again.parentRunId).toBe(failed.runId);
    expect(again.runId).not.toBe(failed.runId);
    // The three that succeeded ran once in all; the failed layer twice; its dependent once.
    expect(calls).toEqual({
      checkInventory: 1,
      validateCustomer: 1,
      reserveInventory: 1,
      createOrder: 2,
      processPayment: 1,
    });
    const byName = Object.fromEntries(again.layers.map((l) => [l.name, l]));
    for (const name of ['checkInventory', 'validateCustomer', 'reserveInventory']) {
      expect(byName[name]).toMatchObject({ status: 'succeeded', reusedFrom: failed.runId });
      expect(byName[name]?.attempts).toEqual([]);
      expect(byName[name]?.result).toBe(failed.results[name]);
    }
    expect(byName.createOrder?.reusedFrom).toBeUndefined();
    // The reused result fed the argument downstream.
    expect(byName.createOrder?.attempts[0]?.args).toEqual(['cust-7', 'res-sku-42-3']);
    expect(again.results.processPayment).toEqual({ paid: 42, orderId: 'order-cust-7' });
    // Layers stay in declaration order.
    expect(again.layers.map((l) => l.name)).toEqual(failed.layers.map((l) => l.name));
  });

  it('logs the reused layers right after run:started, before any layer is queued', async () => {
    const { sequence, failCreate } = orderSequence();
    const failed = await sequence.build(INPUT);
    failCreate.on = false;
    const events: RunEvent[] = [];
    const again = await sequence.rerun(failed, { onEvent: (e) => events.push(e) });
    expect(events.slice(0, 5).map((e) => [e.type, 'layer' in e ? e.layer : ''])).toEqual([
      ['run:started', ''],
      ['layer:reused', 'checkInventory'],
      ['layer:reused', 'validateCustomer'],
      ['layer:reused', 'reserveInventory'],
      ['layer:queued', 'createOrder'],
    ]);
    const started = events[0];
    expect(started?.type === 'run:started' && started.parentRunId).toBe(failed.runId);
    expect(events[1]).toEqual({
      seq: 1,
      runId: again.runId,
      time: expect.any(Number),
      type: 'layer:reused',
      layer: 'checkInventory',
      reusedFrom: failed.runId,
      result: { productId: 'sku-42', available: true },
    });
    // The listener's events are the result's.
    expect(again.events).toEqual(events);
  });

  it("reruns from a run's saved events, as JSON, the results coming from layer:succeeded", async () => {
    const { sequence, calls, failCreate } = orderSequence();
    const failed = await sequence.build(INPUT);
    const saved = JSON.parse(JSON.stringify(failed.events)) as RunEvent[];
    failCreate.on = false;
    const again = await sequence.rerun(saved);
    expect(again.status).toBe('succeeded');
    expect(again.parentRunId).toBe(failed.runId);
    expect(calls.checkInventory).toBe(1);
    expect(again.results.reserveInventory).toEqual({ reservationId: 'res-sku-42-3' });
  });

  it('reruns from a saved { events } file, as the studio and the CLI write it', async () => {
    const { sequence, calls, failCreate } = orderSequence();
    const failed = await sequence.build(INPUT);
    const file = JSON.parse(JSON.stringify({ events: failed.events }));
    failCreate.on = false;
    const again = await sequence.rerun(file);
    expect(again.status).toBe('succeeded');
    expect(again.parentRunId).toBe(failed.runId);
    expect(calls.checkInventory).toBe(1);
  });

  it('reruns chosen layers and everything downstream, with an edited input', async () => {
    const { sequence, calls, failCreate } = orderSequence({ on: false });
    const first = await sequence.build(INPUT);
    expect(first.status).toBe('succeeded');
    failCreate.on = false;
    const again = await sequence.rerun(first, {
      from: ['reserveInventory'],
      input: { ...INPUT, quantity: 4 },
    });
    expect(calls).toEqual({
      checkInventory: 1,
      validateCustomer: 1,
      reserveInventory: 2,
      createOrder: 2,
      processPayment: 2,
    });
    expect(again.results.reserveInventory).toEqual({ reservationId: 'res-sku-42-4' });
    expect(again.input).toEqual({ ...INPUT, quantity: 4 });
    expect(again.layers.filter((l) => l.reusedFrom).map((l) => l.name)).toEqual([
      'checkInventory',
      'validateCustomer',
    ]);
  });

  it("defaults the input to the previous run's", async () => {
    const { sequence, failCreate } = orderSequence();
    const failed = await sequence.build(INPUT);
    failCreate.on = false;
    const again = await sequence.rerun(failed, { from: ['checkInventory'] });
    expect(again.input).toBe(INPUT);
    expect(again.layers[0]?.attempts[0]?.args).toEqual(['sku-42', 3]);
  });

  it('reruns a rerun: its reused layers are reused again, from the run that computed them', async () => {
    const { sequence, calls, failCreate } = orderSequence();
    const failed = await sequence.build(INPUT);
    const second = await sequence.rerun(failed);
    expect(second.status).toBe('failed');
    failCreate.on = false;
    const third = await sequence.rerun(JSON.parse(JSON.stringify(second.events)) as RunEvent[]);
    expect(third.status).toBe('succeeded');
    expect(third.parentRunId).toBe(second.runId);
    expect(calls.checkInventory).toBe(1);
    expect(calls.createOrder).toBe(3);
    expect(third.layers[0]?.reusedFrom).toBe(second.runId);
  });

  it('treats cancelled, skipped and never-started layers as not succeeded', async () => {
    const clock = new VirtualClock(0);
    const calls: string[] = [];
    const slow =
      (name: string, ms: number) =>
      async ({ signal }: { signal: AbortSignal }) => {
        calls.push(name);
        await new Promise((resolve, reject) => {
          const timer = clock.setTimeout(() => resolve(undefined), ms);
          signal.addEventListener('abort', () => {
            clock.clearTimeout(timer);
            reject(signal.reason);
          });
        });
        return name;
      };
    const sequence = new AdvancedSequenceBuilder()
      .addLayer({ name: 'fast', execute: slow('fast', 1) })
      .addLayer({ name: 'slow', execute: slow('slow', 100) })
      .addLayer({ name: 'after', dependsOn: ['slow'], execute: async () => 'after' });
    const handle = sequence.run({}, { clock });
    clock.setTimeout(() => handle.cancel(), 10);
    const cancelled = await settleOnClock(clock, handle.result);
    expect(cancelled.status).toBe('cancelled');
    const plan = planRerun(sequence.layers, cancelled);
    expect(plan).toMatchObject({ rerun: ['slow', 'after'], reused: ['fast'] });
    const again = await settleOnClock(clock, sequence.rerun(cancelled, { clock }));
    expect(again.status).toBe('succeeded');
    expect(calls).toEqual(['fast', 'slow', 'slow']);
  });

  it('runs a layer added after the failure point, downstream of what failed', async () => {
    const { sequence, failCreate } = orderSequence();
    const failed = await sequence.build(INPUT);
    failCreate.on = false;
    sequence.addLayer({
      name: 'sendReceipt',
      args: ['createOrder.orderId'],
      dependsOn: ['processPayment'],
      execute: async (orderId: string) => `receipt for ${orderId}`,
    });
    const again = await sequence.rerun(failed);
    expect(again.results.sendReceipt).toBe('receipt for order-cust-7');
    // Not downstream of a failure, a new layer has nothing to reuse.
    sequence.addLayer({ name: 'audit', execute: async () => 'audited' });
    await expect(sequence.rerun(failed)).rejects.toMatchObject({
      code: 'RERUN_MISMATCH',
      layer: 'audit',
    });
  });

  it('reuses every layer of a run that succeeded, and finishes at once', async () => {
    const { sequence, calls } = orderSequence({ on: false });
    const first = await sequence.build(INPUT);
    const again = await sequence.rerun(first);
    expect(again.status).toBe('succeeded');
    expect(again.layers.every((l) => l.reusedFrom === first.runId)).toBe(true);
    expect(again.results).toEqual(first.results);
    expect(calls.createOrder).toBe(1);
  });

  it('is cancelled through its signal like any run', async () => {
    const { sequence } = orderSequence();
    const failed = await sequence.build(INPUT);
    const controller = new AbortController();
    controller.abort();
    const again = await sequence.rerun(failed, { signal: controller.signal });
    expect(again.status).toBe('cancelled');
  });

  describe('refuses before anything runs', () => {
    async function failedRun() {
      const order = orderSequence();
      const failed = await order.sequence.build(INPUT);
      for (const name of Object.keys(order.calls)) delete order.calls[name];
      return { ...order, failed };
    }

    it('a name in from that is not a layer, suggesting the close one', async () => {
      const { sequence, calls, failed } = await failedRun();
      const error = await sequence.rerun(failed, { from: ['createOrdr'] }).catch((e) => e);
      expect(error).toBeInstanceOf(FusyncError);
      expect(error).toMatchObject({ code: 'UNKNOWN_LAYER', layer: 'createOrdr', path: 'from[0]' });
      expect(error.message).toContain('Did you mean `createOrder`?');
      expect(calls).toEqual({});
    });

    it('a previous run of another sequence', async () => {
      const { failed } = await failedRun();
      const other = new AdvancedSequenceBuilder()
        .addLayer({ name: 'fetchUser', execute: async () => 1 })
        .addLayer({ name: 'createOrder', dependsOn: ['fetchUser'], execute: async () => 2 });
      const error = await other.rerun(failed).catch((e) => e);
      expect(error).toMatchObject({ code: 'RERUN_MISMATCH', layer: 'fetchUser' });
      expect(error.message).toContain(`not in run ${failed.runId}`);
    });

    it('a layer to reuse whose dependencies changed', async () => {
      const { failed } = await failedRun();
      const { sequence, calls } = orderSequence();
      sequence.removeLayer('reserveInventory').addLayer({
        name: 'reserveInventory',
        args: ['productId'],
        dependsOn: ['validateCustomer'],
        execute: async () => 'r',
      });
      const error = await sequence.rerun(failed).catch((e) => e);
      expect(error).toMatchObject({ code: 'RERUN_MISMATCH', layer: 'reserveInventory' });
      expect(error.message).toContain(
        'depends on [validateCustomer] but depended on [checkInventory]',
      );
      expect(calls).toEqual({});
    });

    it('a layer to reuse that did not succeed', async () => {
      const { sequence, failed } = await failedRun();
      const error = await sequence.rerun(failed, { from: ['processPayment'] }).catch((e) => e);
      expect(error).toMatchObject({ code: 'RERUN_RESULT_MISSING', layer: 'createOrder' });
    });

    it('a record whose result was not kept whole', async () => {
      const { sequence, calls, failed } = await failedRun();
      const events = failed.events.map((event) =>
        event.type === 'layer:succeeded' && event.layer === 'reserveInventory'
          ? { ...event, result: toWireValue('x'.repeat(WIRE_VALUE_LIMIT)) }
          : event,
      );
      const error = await sequence.rerun(events).catch((e) => e);
      expect(error).toMatchObject({ code: 'RERUN_RESULT_MISSING', layer: 'reserveInventory' });
      expect(error.message).toContain('too-large');
      expect(calls).toEqual({});
    });

    it('a value that is no run at all, with a typed error', async () => {
      const { sequence, calls } = await failedRun();
      for (const previous of [{}, { events: 'no' }, null, 42, [{ type: 'layer:queued' }]]) {
        await expect(sequence.rerun(previous as never)).rejects.toMatchObject({
          code: 'INVALID_RUN_RECORD',
        });
      }
      expect(calls).toEqual({});
    });

    it('events that are not a whole run record, or a run still going', async () => {
      const { sequence, failed } = await failedRun();
      await expect(sequence.rerun(failed.events.slice(1))).rejects.toMatchObject({
        code: 'INVALID_RUN_RECORD',
      });
      const running = failed.events.filter((e) => e.type !== 'run:finished');
      await expect(sequence.rerun(running)).rejects.toMatchObject({ code: 'RUN_NOT_FINISHED' });
    });
  });

  it('shows reused layers as reused in the timeline and metrics, off the critical path', async () => {
    const { sequence, failCreate } = orderSequence();
    const failed = await sequence.build(INPUT);
    failCreate.on = false;
    const again = await sequence.rerun(failed);
    const timeline = renderTimeline(again);
    expect(timeline).toContain(`checkInventory│${' '.repeat(32)}│reused from ${failed.runId}`);
    expect(timeline).toMatch(/createOrder {3}│[^│]*█[^│]*│\+\d\.\d{3}s to/);
    expect(again.metrics).toMatchObject({
      totalTasks: 2,
      succeeded: 2,
      reused: 3,
      totalAttempts: 2,
    });
    expect(again.metrics.criticalPath.path).toEqual(['createOrder', 'processPayment']);
    const metrics = renderMetrics(again);
    expect(metrics).toContain('Total Tasks: 2\n');
    expect(metrics).toContain('Reused Tasks: 3');
    expect(renderMetrics(failed)).not.toContain('Reused');
  });
});
