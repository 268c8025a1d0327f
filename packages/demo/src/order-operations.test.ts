import { describe, expect, it } from 'vitest';
import type { OperationContext } from './operation-context.js';
import { createOrderOperations, orderFunctions } from './order-operations.js';

const context: OperationContext = {
  signal: new AbortController().signal,
  attempt: 1,
  layer: 'l',
  runId: 'abc-123-def',
};
const ops = Object.fromEntries(
  createOrderOperations({ latencyScale: 0 }).map((o) => [o.name, o.execute]),
);
const call = (name: string, ...args: unknown[]): unknown =>
  (ops[name] as (...a: unknown[]) => unknown)(...args, context);

describe('order operations', () => {
  it('chain: createOrder yields orderId and amount for processPayment', async () => {
    await expect(call('checkInventory', 'sku', 2)).resolves.toEqual({
      inStock: 100,
      available: true,
    });
    await expect(call('validateCustomer', 'c1')).resolves.toMatchObject({ customerValid: true });
    await expect(call('reserveInventory', 'sku', 2)).resolves.toEqual({
      reservationId: 'res-abc123de',
    });
    const order = (await call('createOrder', 'c1', 'sku', 2)) as {
      orderId: string;
      amount: number;
    };
    expect(order).toEqual({ orderId: 'ord-abc123de', amount: 39.98 });
    await expect(call('processPayment', order.orderId, order.amount)).resolves.toMatchObject({
      charged: 39.98,
    });
  });

  it('fail with a message naming the problem', async () => {
    await expect(call('checkInventory', 'sku', 1000)).rejects.toThrow(
      'Only 100 units of sku in stock',
    );
    await expect(call('validateCustomer', 'blocked-1')).rejects.toThrow('blocked');
    await expect(call('processPayment', 'o', -5)).rejects.toThrow(
      '`amount` to be a positive number',
    );
    await expect(call('createOrder', '', 'sku', 1)).rejects.toThrow(
      '`customerId` to be a non-empty string',
    );
  });

  it('are functions named after their operation, so that a builder can save them', () => {
    for (const [name, execute] of Object.entries(orderFunctions())) expect(execute.name).toBe(name);
  });

  it('honour the layer signal while simulating latency', async () => {
    const controller = new AbortController();
    const slow = createOrderOperations({ latencyScale: 1000 }).find(
      (o) => o.name === 'processPayment',
    );
    const pending = slow?.execute('o', 10, { ...context, signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});

describe('order operation options', () => {
  it('scale the simulated latency', () => {
    const latencies = (latencyScale: number) =>
      createOrderOperations({ latencyScale }).map((o) => o.latencyMs);
    expect(latencies(1)).toEqual([100, 125, 100, 125, 150]);
    expect(latencies(2)).toEqual([200, 250, 200, 250, 300]);
    expect(latencies(0)).toEqual([0, 0, 0, 0, 0]);
  });

  it('make ids with `idFor`, from the run id and the arguments', async () => {
    const custom = Object.fromEntries(
      createOrderOperations({
        latencyScale: 0,
        idFor: (kind, runId, args) => `${kind}:${String(args[0])}:${runId}`,
      }).map((o) => [o.name, o.execute]),
    );
    await expect(custom.createOrder?.('c1', 'sku', 1, context)).resolves.toMatchObject({
      orderId: 'order:c1:abc-123-def',
    });
    await expect(custom.processPayment?.('o-1', 5, context)).resolves.toMatchObject({
      paymentId: 'payment:o-1:abc-123-def',
    });
  });

  it('refuse a latency scale that is not a number ≥ 0', () => {
    expect(() => createOrderOperations({ latencyScale: -1 })).toThrow(
      'Expected `latencyScale` to be a number ≥ 0, got `-1`.',
    );
  });
});
