// The README's advanced example, over Redis: `REDIS_URL=redis://127.0.0.1:6379 pnpm --filter fusync example:advanced`
// (REDIS_URL defaults to redis://127.0.0.1:6379). The layers run in an embedded worker of this process.
import { orderFunctions } from '@fusync/demo';
import { AdvancedSequenceBuilder, renderGraph } from 'fusync';

// The README's order operations, with simulated latency
const { checkInventory, validateCustomer, reserveInventory, createOrder, processPayment } =
  orderFunctions();

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const sequence = new AdvancedSequenceBuilder({
  verbose: true,
  queueType: 'FIFO',
  useRedis: true,
  redisOptions: { url: redisUrl },
  concurrency: 5,
});

sequence
  .addLayer({
    name: 'checkInventory',
    execute: checkInventory,
    args: ['productId', 'quantity'],
    priority: 1,
  })
  .addLayer({
    name: 'validateCustomer',
    execute: validateCustomer,
    args: ['customerId'],
    priority: 1,
  })
  .addLayer({
    name: 'reserveInventory',
    execute: reserveInventory,
    args: ['productId', 'quantity'],
    dependsOn: ['checkInventory'],
    priority: 2,
  })
  .addLayer({
    name: 'createOrder',
    execute: createOrder,
    args: ['customerId', 'productId', 'quantity'],
    dependsOn: ['validateCustomer', 'reserveInventory'],
    priority: 3,
  })
  .addLayer({
    name: 'processPayment',
    execute: processPayment,
    args: ['orderId', 'amount'],
    dependsOn: ['createOrder'],
    priority: 4,
  });

const run = await sequence.build({ productId: 'sku-42', quantity: 3, customerId: 'cust-7' });
console.log('--- Dependency Graph ---\n');
console.log(renderGraph(sequence.layers));
console.log(`\nRun ${run.runId} ${run.status} through Redis at ${redisUrl}`);
process.exitCode = run.status === 'succeeded' ? 0 : 1;
