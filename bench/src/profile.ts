/**
 * Runs one runner on one graph, repeatedly, for a CPU profile:
 *
 *   node --cpu-prof --cpu-prof-dir=profiles --import tsx src/profile.ts --runner fusync --graph random --layers 10000
 *   node --import tsx src/profile-summary.ts profiles/<file>.cpuprofile
 *
 *   --runner   runner name (fusync, p-graph, async.auto, level-barrier, minimal scheduler); default fusync
 *   --graph    random | fan-out | order | order-new: the README's five-layer order sequence,
 *              `--layers` runs one at a time, with one builder reused (order) or a new builder
 *              per run (order-new), as per-request measures; default random
 *   --layers   default 10000
 *   --concurrency  default 64
 *   --repeat   runs after one warm-up; default 5
 */
import { parseArgs } from 'node:util';
import { AdvancedSequenceBuilder } from 'fusync';
import { fanOutDag, randomDag } from './dag.js';
import { runners } from './runners.js';

const { values } = parseArgs({
  options: {
    runner: { type: 'string', default: 'fusync' },
    graph: { type: 'string', default: 'random' },
    layers: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '64' },
    repeat: { type: 'string', default: '5' },
  },
});

if (values.graph === 'order' || values.graph === 'order-new') {
  const { orderBuilder, orderInput } = await import('./scenarios/per-request.js');
  const fresh = values.graph === 'order-new';
  const reused = orderBuilder(AdvancedSequenceBuilder);
  const runs = Number(values.layers);
  const serve = async (): Promise<void> => {
    for (let i = 0; i < runs; i++)
      await (fresh ? orderBuilder(AdvancedSequenceBuilder) : reused).build(orderInput(i));
  };
  await serve();
  for (let i = 0; i < Number(values.repeat); i++) {
    const t0 = performance.now();
    await serve();
    const us = ((performance.now() - t0) * 1000) / runs;
    process.stderr.write(
      `fusync order sequence, ${fresh ? 'a builder per run' : 'one builder reused'}: ${us.toFixed(2)} µs/run\n`,
    );
  }
  process.exit(0);
}

const runner = runners.find((r) => r.name === values.runner);
if (!runner)
  throw new Error(
    `Unknown runner \`${values.runner}\`. Known: ${runners.map((r) => r.name).join(', ')}.`,
  );
const layers = Number(values.layers);
const dag = values.graph === 'fan-out' ? fanOutDag(layers) : randomDag(layers, 3, 0x5eed01);
const concurrency = Number(values.concurrency);
const noop = async (): Promise<void> => {};

await runner.run(dag, noop, concurrency);
for (let i = 0; i < Number(values.repeat); i++) {
  const t0 = performance.now();
  await runner.run(dag, noop, concurrency);
  process.stderr.write(
    `${runner.name} ${values.graph} ${layers}: ${(performance.now() - t0).toFixed(1)} ms\n`,
  );
}
