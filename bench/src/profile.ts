/**
 * Runs one runner on one graph, repeatedly, for a CPU profile:
 *
 *   node --cpu-prof --cpu-prof-dir=profiles --import tsx src/profile.ts --runner fusync --graph random --layers 10000
 *   node --import tsx src/profile-summary.ts profiles/<file>.cpuprofile
 *
 *   --runner   runner name (fusync, p-graph, async.auto, level-barrier, minimal scheduler); default fusync
 *   --graph    random | fan-out; default random
 *   --layers   default 10000
 *   --concurrency  default 64
 *   --repeat   runs after one warm-up; default 5
 */
import { parseArgs } from 'node:util';
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
