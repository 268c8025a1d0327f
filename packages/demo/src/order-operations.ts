import { delay } from './delay.js';
import { splitContext } from './operation-context.js';

/** The names of the five order operations, in the order the README introduces them. */
export type OrderOperationName =
  | 'checkInventory'
  | 'validateCustomer'
  | 'reserveInventory'
  | 'createOrder'
  | 'processPayment';

/** What an id returned by `reserveInventory`, `createOrder` or `processPayment` names. */
export type OrderIdKind = 'reservation' | 'order' | 'payment';

/** Options of the order operations. */
export interface OrderOperationsOptions {
  /**
   * Multiplies each operation's simulated latency (100–150 ms). `0` makes them
   * instant (tests); default `1`.
   */
  latencyScale?: number;
  /** Units in stock of every product: `checkInventory` fails above it. Default `100`. */
  stock?: number;
  /** Price of one unit. Default `19.99`. */
  unitPrice?: number;
  /**
   * Makes the ids the operations return, from the run id and the arguments of
   * the operation that returns it. Default: `res-`, `ord-` or `pay-` and the
   * first eight letters or digits of the run id, so that repeated runs are
   * easy to tell apart (`ord-3f2a9c1b`).
   */
  idFor?: (kind: OrderIdKind, runId: string, args: readonly unknown[]) => string;
}

/** One argument an operation takes, as a catalog shows it. */
export interface OrderOperationArg {
  name: string;
  type: 'string' | 'number';
}

/** An order operation: a layer function and what a catalog shows of it. */
export interface OrderOperation {
  name: OrderOperationName;
  description: string;
  /** The layer `args` it expects, in the order it takes them. */
  args: OrderOperationArg[];
  /** How long it waits before answering, `latencyScale` applied. */
  latencyMs: number;
  /** The layer function: its arguments, then the engine's context. */
  execute: (...received: unknown[]) => Promise<unknown>;
}

/** What a catalog shows of each operation, and its latency before `latencyScale`, in README order. */
const CATALOG: Readonly<
  Record<
    OrderOperationName,
    { description: string; args: readonly OrderOperationArg[]; baseLatencyMs: number }
  >
> = {
  checkInventory: {
    description: 'Check that the product has enough units in stock.',
    args: [
      { name: 'productId', type: 'string' },
      { name: 'quantity', type: 'number' },
    ],
    baseLatencyMs: 100,
  },
  validateCustomer: {
    description:
      'Check that the customer exists and may order (ids starting with `blocked` may not).',
    args: [{ name: 'customerId', type: 'string' }],
    baseLatencyMs: 125,
  },
  reserveInventory: {
    description: 'Reserve the units for this order.',
    args: [
      { name: 'productId', type: 'string' },
      { name: 'quantity', type: 'number' },
    ],
    baseLatencyMs: 100,
  },
  createOrder: {
    description: 'Create the order; its result carries `orderId` and `amount`.',
    args: [
      { name: 'customerId', type: 'string' },
      { name: 'productId', type: 'string' },
      { name: 'quantity', type: 'number' },
    ],
    baseLatencyMs: 125,
  },
  processPayment: {
    description: 'Charge the order amount.',
    args: [
      { name: 'orderId', type: 'string' },
      { name: 'amount', type: 'number' },
    ],
    baseLatencyMs: 150,
  },
};

const ID_PREFIX: Readonly<Record<OrderIdKind, string>> = {
  reservation: 'res',
  order: 'ord',
  payment: 'pay',
};

function runIdBasedId(kind: OrderIdKind, runId: string): string {
  return `${ID_PREFIX[kind]}-${runId.replace(/[^A-Za-z0-9]/g, '').slice(0, 8)}`;
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function requireString(operation: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(
      `${operation}: expected \`${field}\` to be a non-empty string, got ${show(value)}.`,
    );
  }
  return value;
}

function requirePositiveNumber(operation: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(
      `${operation}: expected \`${field}\` to be a positive number, got ${show(value)}.`,
    );
  }
  return value;
}

/**
 * The order-processing operations of the README, with simulated latency that
 * stops at once when the layer is cancelled or times out. Each result is a
 * plain object whose fields feed the next layers' `args` (`createOrder` gives
 * `orderId` and `amount` to `processPayment`).
 *
 * @example
 * const catalog = createOrderOperations({ latencyScale: 0 }); // instant, for tests
 * catalog.map(({ name, description }) => `${name}: ${description}`);
 */
export function createOrderOperations(options: OrderOperationsOptions = {}): OrderOperation[] {
  const scale = options.latencyScale ?? 1;
  if (!Number.isFinite(scale) || scale < 0)
    throw new TypeError(`Expected \`latencyScale\` to be a number ≥ 0, got \`${scale}\`.`);
  const stock = options.stock ?? 100;
  const unitPrice = options.unitPrice ?? 19.99;
  const idFor = options.idFor ?? runIdBasedId;
  const latencyMs = (name: OrderOperationName): number =>
    Math.round(CATALOG[name].baseLatencyMs * scale);
  const pause = (name: OrderOperationName, signal: AbortSignal): Promise<void> =>
    delay(latencyMs(name), signal);

  // Named functions: a builder saves a layer's operation under its function's name.
  async function checkInventory(...received: unknown[]) {
    const { args, context } = splitContext(received);
    const productId = requireString('checkInventory', 'productId', args[0]);
    const wanted = requirePositiveNumber('checkInventory', 'quantity', args[1]);
    await pause('checkInventory', context.signal);
    if (wanted > stock)
      throw new Error(`Only ${stock} units of ${productId} in stock, ${wanted} requested.`);
    return { inStock: stock, available: true };
  }

  async function validateCustomer(...received: unknown[]) {
    const { args, context } = splitContext(received);
    const id = requireString('validateCustomer', 'customerId', args[0]);
    await pause('validateCustomer', context.signal);
    if (id.startsWith('blocked')) throw new Error(`Customer ${id} is blocked.`);
    return { customerValid: true, customerTier: 'standard' };
  }

  async function reserveInventory(...received: unknown[]) {
    const { args, context } = splitContext(received);
    requireString('reserveInventory', 'productId', args[0]);
    requirePositiveNumber('reserveInventory', 'quantity', args[1]);
    await pause('reserveInventory', context.signal);
    return { reservationId: idFor('reservation', context.runId, args) };
  }

  async function createOrder(...received: unknown[]) {
    const { args, context } = splitContext(received);
    requireString('createOrder', 'customerId', args[0]);
    requireString('createOrder', 'productId', args[1]);
    const units = requirePositiveNumber('createOrder', 'quantity', args[2]);
    await pause('createOrder', context.signal);
    return {
      orderId: idFor('order', context.runId, args),
      amount: Math.round(units * unitPrice * 100) / 100,
    };
  }

  async function processPayment(...received: unknown[]) {
    const { args, context } = splitContext(received);
    requireString('processPayment', 'orderId', args[0]);
    const charged = requirePositiveNumber('processPayment', 'amount', args[1]);
    await pause('processPayment', context.signal);
    return {
      paymentId: idFor('payment', context.runId, args),
      charged,
      paymentStatus: 'captured',
    };
  }

  const functions = {
    checkInventory,
    validateCustomer,
    reserveInventory,
    createOrder,
    processPayment,
  } satisfies Record<OrderOperationName, OrderOperation['execute']>;
  return (Object.keys(CATALOG) as OrderOperationName[]).map((name) => ({
    name,
    description: CATALOG[name].description,
    args: CATALOG[name].args.map((arg) => ({ ...arg })),
    latencyMs: latencyMs(name),
    execute: functions[name],
  }));
}

/**
 * The order operations as functions by name: what `addLayer({ execute })`
 * and `fromJSON(json, { operations })` take.
 *
 * @example
 * const { checkInventory } = orderFunctions();
 * sequence.addLayer({ name: 'checkInventory', execute: checkInventory, args: ['productId', 'quantity'] });
 */
export function orderFunctions(
  options: OrderOperationsOptions = {},
): Record<OrderOperationName, OrderOperation['execute']> {
  return Object.fromEntries(
    createOrderOperations(options).map(({ name, execute }) => [name, execute]),
  ) as Record<OrderOperationName, OrderOperation['execute']>;
}
