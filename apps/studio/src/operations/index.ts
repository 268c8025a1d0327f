import type { LayerFunction } from 'fusync';
import { counted } from './call-counts';
import type { OperationInfo } from './catalog';
import {
  checkInventory,
  createOrder,
  processPayment,
  reserveInventory,
  validateCustomer,
} from './order-operations';
import { fail, flaky, httpFetch, wait } from './utility-operations';

export { operationCalls } from './call-counts';
export type { OperationInfo, OperationSource } from './catalog';

/** Operation name → function: what a run in this tab binds layers to. Each call is counted (`operationCalls`). */
export const browserOperations: Readonly<Record<string, LayerFunction>> = Object.fromEntries(
  Object.entries({
    checkInventory,
    validateCustomer,
    reserveInventory,
    createOrder,
    processPayment,
    wait,
    flaky,
    fail,
    httpFetch,
  }).map(([name, operation]) => [name, counted(operation)]),
);

/** The palette entries of the browser operations. */
export const browserCatalog: readonly OperationInfo[] = [
  {
    name: 'checkInventory',
    description: 'Check product inventory (200 ms)',
    args: ['productId', 'quantity'],
    source: 'browser',
    expectedDurationMs: 200,
  },
  {
    name: 'validateCustomer',
    description: 'Validate the customer (250 ms)',
    args: ['customerId'],
    source: 'browser',
    expectedDurationMs: 250,
  },
  {
    name: 'reserveInventory',
    description: 'Reserve the items (200 ms)',
    args: ['productId', 'quantity'],
    source: 'browser',
    expectedDurationMs: 200,
  },
  {
    name: 'createOrder',
    description: 'Create the order: returns orderId and amount (250 ms)',
    args: ['customerId', 'productId', 'quantity'],
    source: 'browser',
    expectedDurationMs: 250,
  },
  {
    name: 'processPayment',
    description: 'Charge the order (300 ms)',
    args: ['orderId', 'amount'],
    source: 'browser',
    expectedDurationMs: 300,
  },
  {
    name: 'wait',
    description: 'Wait 250 ms, or the number passed as its first argument',
    args: [],
    source: 'browser',
    expectedDurationMs: 250,
  },
  {
    name: 'flaky',
    description: 'Fail the first attempt, succeed on a retry (set retries ≥ 1)',
    args: [],
    source: 'browser',
    expectedDurationMs: 150,
  },
  {
    name: 'fail',
    description: 'Always fail: try onError continue / abort',
    args: [],
    source: 'browser',
    expectedDurationMs: 100,
  },
  {
    name: 'httpFetch',
    description: 'GET a URL (first argument, default /api/health)',
    args: [],
    source: 'browser',
    expectedDurationMs: 100,
  },
];

/** The default run input: what the order operations read. */
export const defaultRunInput: Readonly<Record<string, unknown>> = {
  productId: 'p-100',
  quantity: 2,
  customerId: 'c-42',
};
