import asyncLib from 'async';
import { AdvancedSequenceBuilder } from 'fusync';
import { PGraph } from 'p-graph';
import type { SequenceBuilderClass } from '../fusync-runner.js';
import { type Contender, interleave, median } from '../measure.js';
import type { Scenario, Suite } from '../scenario.js';
import { formatRatio, type Target } from '../table.js';

const RUNS_PER_MEASURE = 20_000;
const IN_FLIGHT = 100;

export const perRequestSuite: Suite = {
  id: 'per-request',
  title: `Per request: the README's five-layer order sequence, ${RUNS_PER_MEASURE.toLocaleString('en')} runs one at a time and ${IN_FLIGHT} in flight (trivial async functions)`,
  columns: [
    'runner',
    'one at a time µs/run',
    `${IN_FLIGHT} in flight µs/run`,
    'vs async.auto',
    'runs',
  ],
  verifyColumns: ['runner', 'check'],
};

interface Input {
  productId: string;
  quantity: number;
  customerId: string;
}

const checkInventory = async (productId: string, quantity: number) => ({
  productId,
  quantity,
  available: true,
});
const validateCustomer = async (customerId: string) => ({ customerId, valid: true });
const reserveInventory = async (productId: string, quantity: number) => ({
  reservationId: `res-${productId}-${quantity}`,
});
const createOrder = async (customerId: string, productId: string, quantity: number) => ({
  orderId: `order-${customerId}-${productId}`,
  amount: quantity * 10,
});
const processPayment = async (orderId: string, amount: number) => ({ orderId, paid: amount });

/** The README's order sequence, on `Builder`. */
export function orderBuilder(Builder: SequenceBuilderClass): AdvancedSequenceBuilder {
  return new Builder()
    .addLayer({ name: 'checkInventory', execute: checkInventory, args: ['productId', 'quantity'] })
    .addLayer({ name: 'validateCustomer', execute: validateCustomer, args: ['customerId'] })
    .addLayer({
      name: 'reserveInventory',
      execute: reserveInventory,
      args: ['productId', 'quantity'],
      dependsOn: ['checkInventory'],
    })
    .addLayer({
      name: 'createOrder',
      execute: createOrder,
      args: ['customerId', 'productId', 'quantity'],
      dependsOn: ['validateCustomer', 'reserveInventory'],
    })
    .addLayer({
      name: 'processPayment',
      execute: processPayment,
      args: ['orderId', 'amount'],
      dependsOn: ['createOrder'],
    });
}

/** One way to serve a request: run the sequence for `input`, resolving to the payment. */
type Serve = (input: Input) => Promise<unknown>;

interface ServeRunner {
  readonly name: string;
  readonly serve: Serve;
}

/** fusync as an embedder drives it: one builder reused, or a builder per request. */
function fusyncServes(label: string, Builder: SequenceBuilderClass): ServeRunner[] {
  const reused = orderBuilder(Builder);
  return [
    {
      name: `${label}, one builder reused`,
      serve: (input) => reused.build(input as unknown as Record<string, unknown>),
    },
    {
      name: `${label}, a builder per request`,
      serve: (input) => orderBuilder(Builder).build(input as unknown as Record<string, unknown>),
    },
  ];
}

const peers: readonly ServeRunner[] = [
  {
    name: 'async/await by hand (floor)',
    async serve(input) {
      const [inventory, customer] = await Promise.all([
        checkInventory(input.productId, input.quantity),
        validateCustomer(input.customerId),
      ]);
      await reserveInventory(inventory.productId, input.quantity);
      const order = await createOrder(customer.customerId, input.productId, input.quantity);
      return processPayment(order.orderId, order.amount);
    },
  },
  {
    name: 'async.auto',
    serve: (input) =>
      asyncLib.auto({
        checkInventory: async () => checkInventory(input.productId, input.quantity),
        validateCustomer: async () => validateCustomer(input.customerId),
        reserveInventory: [
          'checkInventory',
          async () => reserveInventory(input.productId, input.quantity),
        ],
        createOrder: [
          'validateCustomer',
          'reserveInventory',
          async () => createOrder(input.customerId, input.productId, input.quantity),
        ],
        processPayment: [
          'createOrder',
          async (results: { createOrder: unknown }) => {
            const order = results.createOrder as { orderId: string; amount: number };
            return processPayment(order.orderId, order.amount);
          },
        ],
      }),
  },
  {
    name: 'p-graph',
    async serve(input) {
      const results: Record<string, { orderId: string; amount: number }> = {};
      const nodes = new Map([
        [
          'checkInventory',
          { run: async () => void (await checkInventory(input.productId, input.quantity)) },
        ],
        ['validateCustomer', { run: async () => void (await validateCustomer(input.customerId)) }],
        [
          'reserveInventory',
          { run: async () => void (await reserveInventory(input.productId, input.quantity)) },
        ],
        [
          'createOrder',
          {
            run: async () => {
              results.order = await createOrder(input.customerId, input.productId, input.quantity);
            },
          },
        ],
        [
          'processPayment',
          {
            run: async () =>
              void (await processPayment(results.order?.orderId ?? '', results.order?.amount ?? 0)),
          },
        ],
      ]);
      await new PGraph(nodes, [
        ['checkInventory', 'reserveInventory'],
        ['validateCustomer', 'createOrder'],
        ['reserveInventory', 'createOrder'],
        ['createOrder', 'processPayment'],
      ]).run();
    },
  },
];

const inputOf = (i: number): Input => ({
  productId: `sku-${i % 50}`,
  quantity: 1 + (i % 5),
  customerId: `cust-${i % 97}`,
});

/** The input of request `i`, as the builder takes it. */
export const orderInput = (i: number): Record<string, unknown> =>
  inputOf(i) as unknown as Record<string, unknown>;

async function oneAtATime(serve: Serve): Promise<void> {
  for (let i = 0; i < RUNS_PER_MEASURE; i++) await serve(inputOf(i));
}

async function inFlight(serve: Serve): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < RUNS_PER_MEASURE) await serve(inputOf(next++));
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

const perRun = (ms: number): number => (ms * 1000) / RUNS_PER_MEASURE;

/** What the embedders the engine was made for pay per request, beside async.auto and the floor. */
export const perRequest: Scenario = {
  id: 'per-request',
  suite: perRequestSuite,
  title: 'five-layer order sequence per request',
  async run(context) {
    const runners: readonly ServeRunner[] = [
      ...peers,
      ...fusyncServes('fusync', AdvancedSequenceBuilder),
      ...(context.candidate ? fusyncServes('fusync (candidate)', context.candidate) : []),
    ];
    if (context.verify) {
      const rows = await Promise.all(
        runners.map(async ({ name, serve }) => {
          const payment = (await serve(inputOf(7))) as unknown;
          const ok = name.startsWith('fusync')
            ? (payment as { status: string }).status === 'succeeded'
            : true;
          return { runner: name, check: ok ? 'ok' : 'FAILED' };
        }),
      );
      return { rows, notes: [], targets: [] };
    }
    const measure = async (shape: (serve: Serve) => Promise<void>) =>
      interleave(
        runners.map((runner): Contender => ({ name: runner.name, run: () => shape(runner.serve) })),
        { plan: context.plan, onProgress: context.log },
      );
    context.log('  one at a time');
    const serial = await measure(oneAtATime);
    context.log(`  ${IN_FLIGHT} in flight`);
    const parallel = await measure(inFlight);
    const us = (list: typeof serial, name: string) =>
      perRun(median(list.find((m) => m.name === name)?.times ?? []));
    const auto = { serial: us(serial, 'async.auto'), parallel: us(parallel, 'async.auto') };
    const rows = runners.map(({ name }) => ({
      runner: name,
      'one at a time µs/run': us(serial, name).toFixed(2),
      [`${IN_FLIGHT} in flight µs/run`]: us(parallel, name).toFixed(2),
      'vs async.auto': `${formatRatio(us(serial, name) / auto.serial)} / ${formatRatio(us(parallel, name) / auto.parallel)}`,
      runs: String(serial.find((m) => m.name === name)?.times.length ?? 0),
    }));
    const target = (goal: string, name: string, limit: number): Target[] =>
      (['serial', 'parallel'] as const).map((shape) => {
        const own = us(shape === 'serial' ? serial : parallel, name);
        const ratio = own / auto[shape];
        return {
          goal: `per-request (${shape === 'serial' ? 'one at a time' : `${IN_FLIGHT} in flight`}): ${goal} ≤ ${limit}× async.auto`,
          measured: `${formatRatio(ratio)} (${own.toFixed(2)} µs vs ${auto[shape].toFixed(2)} µs)`,
          pass: Number.isFinite(ratio) ? ratio <= limit : undefined,
        };
      });
    return {
      rows,
      notes: [
        'ratios: one at a time / in flight, each against async.auto measured in the same rounds.',
      ],
      targets: [
        ...target('fusync, one builder reused', 'fusync, one builder reused', 1),
        ...target('fusync, a builder per request', 'fusync, a builder per request', 2),
      ],
    };
  },
};
