import type { LayerContext } from 'fusync';
import { delay, type OperationDefinition } from './operation.js';

/** Options of the demo order operations. */
export interface OrderOperationsOptions {
  /**
   * Multiplies each operation's simulated latency (100–150 ms). `0` makes them
   * instant (tests); default `1`.
   */
  latencyScale?: number;
  /** Units in stock of every product. Default `100`. */
  stock?: number;
  /** Price of one unit. Default `19.99`. */
  unitPrice?: number;
}

const BASE_LATENCY_MS = {
  checkInventory: 100,
  validateCustomer: 125,
  reserveInventory: 100,
  createOrder: 125,
  processPayment: 150,
} as const;

function requireString(operation: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(
      `${operation}: expected \`${field}\` to be a non-empty string, got ${JSON.stringify(value) ?? String(value)}.`,
    );
  }
  return value;
}

function requirePositiveNumber(operation: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(
      `${operation}: expected \`${field}\` to be a positive number, got ${JSON.stringify(value) ?? String(value)}.`,
    );
  }
  return value;
}

/** A short id derived from the run, so repeated demo runs are easy to tell apart. */
function idFor(prefix: string, context: LayerContext): string {
  return `${prefix}-${context.runId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}`;
}

/**
 * The order-processing operations of the seed README, with simulated latency.
 * Each result is a plain object whose fields feed the next layers' `args`
 * (`createOrder` → `orderId`, `amount` → `processPayment`).
 */
export function createOrderOperations(options: OrderOperationsOptions = {}): OperationDefinition[] {
  const scale = options.latencyScale ?? 1;
  const stock = options.stock ?? 100;
  const unitPrice = options.unitPrice ?? 19.99;
  const pause = (name: keyof typeof BASE_LATENCY_MS, context: LayerContext): Promise<void> =>
    delay(Math.round(BASE_LATENCY_MS[name] * scale), context.signal);

  return [
    {
      name: 'checkInventory',
      description: 'Check that the product has enough units in stock.',
      args: [
        { name: 'productId', type: 'string' },
        { name: 'quantity', type: 'number' },
      ],
      async execute(productId: unknown, quantity: unknown, context: LayerContext) {
        requireString('checkInventory', 'productId', productId);
        const wanted = requirePositiveNumber('checkInventory', 'quantity', quantity);
        await pause('checkInventory', context);
        if (wanted > stock)
          throw new Error(
            `Only ${stock} units of ${String(productId)} in stock, ${wanted} requested.`,
          );
        return { inStock: stock, available: true };
      },
    },
    {
      name: 'validateCustomer',
      description:
        'Check that the customer exists and may order (ids starting with `blocked` may not).',
      args: [{ name: 'customerId', type: 'string' }],
      async execute(customerId: unknown, context: LayerContext) {
        const id = requireString('validateCustomer', 'customerId', customerId);
        await pause('validateCustomer', context);
        if (id.startsWith('blocked')) throw new Error(`Customer ${id} is blocked.`);
        return { customerValid: true, customerTier: 'standard' };
      },
    },
    {
      name: 'reserveInventory',
      description: 'Reserve the units for this order.',
      args: [
        { name: 'productId', type: 'string' },
        { name: 'quantity', type: 'number' },
      ],
      async execute(productId: unknown, quantity: unknown, context: LayerContext) {
        requireString('reserveInventory', 'productId', productId);
        requirePositiveNumber('reserveInventory', 'quantity', quantity);
        await pause('reserveInventory', context);
        return { reservationId: idFor('res', context) };
      },
    },
    {
      name: 'createOrder',
      description: 'Create the order; its result carries `orderId` and `amount`.',
      args: [
        { name: 'customerId', type: 'string' },
        { name: 'productId', type: 'string' },
        { name: 'quantity', type: 'number' },
      ],
      async execute(
        customerId: unknown,
        productId: unknown,
        quantity: unknown,
        context: LayerContext,
      ) {
        requireString('createOrder', 'customerId', customerId);
        requireString('createOrder', 'productId', productId);
        const units = requirePositiveNumber('createOrder', 'quantity', quantity);
        await pause('createOrder', context);
        return {
          orderId: idFor('ord', context),
          amount: Math.round(units * unitPrice * 100) / 100,
        };
      },
    },
    {
      name: 'processPayment',
      description: 'Charge the order amount.',
      args: [
        { name: 'orderId', type: 'string' },
        { name: 'amount', type: 'number' },
      ],
      async execute(orderId: unknown, amount: unknown, context: LayerContext) {
        requireString('processPayment', 'orderId', orderId);
        const charged = requirePositiveNumber('processPayment', 'amount', amount);
        await pause('processPayment', context);
        return { paymentId: idFor('pay', context), charged, paymentStatus: 'captured' };
      },
    },
  ];
}
