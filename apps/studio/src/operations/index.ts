import { createOrderOperations, type OrderIdKind } from '@fusync/demo';
import type { LayerFunction } from 'fusync';
import { counted } from './call-counts';
import type { OperationInfo } from './catalog';
import { fail, flaky, httpFetch, wait } from './utility-operations';

export { operationCalls } from './call-counts';
export type { OperationInfo, OperationSource } from './catalog';

const READABLE_ID_PREFIX: Readonly<Record<OrderIdKind, string>> = {
  reservation: 'res',
  order: 'order',
  payment: 'pay',
};

/** Ids that read well in the layer details: the product, customer or order they concern (`order-c-42-1a2b3c`). */
function readableId(kind: OrderIdKind, runId: string, args: readonly unknown[]): string {
  const id = `${READABLE_ID_PREFIX[kind]}-${String(args[0])}`;
  return kind === 'order' ? `${id}-${runId.slice(0, 6)}` : id;
}

/** The README's order operations, twice as slow as on the server so that a run in a tab can be followed. */
const orderOperations = createOrderOperations({ latencyScale: 2, idFor: readableId });

/** Operation name → function: what a run in this tab binds layers to. Each call is counted (`operationCalls`). */
export const browserOperations: Readonly<Record<string, LayerFunction>> = Object.fromEntries(
  [
    ...orderOperations.map(({ name, execute }) => [name, execute] as const),
    ...Object.entries({ wait, flaky, fail, httpFetch }),
  ].map(([name, operation]) => [name, counted(operation)]),
);

/** The palette entries of the browser operations. */
export const browserCatalog: readonly OperationInfo[] = [
  ...orderOperations.map(
    ({ name, description, args, latencyMs }): OperationInfo => ({
      name,
      description: `${latencyMs} ms: ${description}`,
      args: args.map((arg) => arg.name),
      source: 'browser',
      expectedDurationMs: latencyMs,
    }),
  ),
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
