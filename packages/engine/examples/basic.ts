// The README's basic example: run with `pnpm --filter fusync example:basic`.
import { orderFunctions } from '@fusync/demo';
import { AdvancedSequenceBuilder, renderGraph } from 'fusync';

// The README's order operations, with simulated latency
const { checkInventory } = orderFunctions();

// Create a new sequence builder instance
const sequence = new AdvancedSequenceBuilder({
  verbose: true,
  queueType: 'FIFO',
  useRedis: false,
  concurrency: 3,
});

// Add layers to the sequence
sequence.addLayer({
  name: 'checkInventory',
  execute: checkInventory,
  args: ['productId', 'quantity'],
  description: 'Check product inventory',
});

// Build and execute the sequence (verbose prints the timeline and the metrics)
const run = await sequence.build({ productId: 'sku-42', quantity: 3 });
console.log(renderGraph(sequence.layers));
console.log('Results:', run.results);
process.exitCode = run.status === 'succeeded' ? 0 : 1;
