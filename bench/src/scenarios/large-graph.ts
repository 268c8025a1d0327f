import { compareRunners, engineSuite } from '../compare.js';
import { randomDag } from '../dag.js';
import type { Scenario } from '../scenario.js';
import { heapUnder, withinRatioOf } from '../targets.js';

const LAYERS = 100_000;
const CONCURRENCY = 64;
const SEED = 0x5eed05;
/** Sample the heap from inside every 1024th layer: a run of microtasks alone never lets a timer fire. */
const SAMPLE_EVERY = 1024;

/** Scale: time and peak heap of a 100,000-layer graph of no-op layers. */
export const largeGraph: Scenario = {
  id: 'large',
  suite: engineSuite,
  title: `${LAYERS} no-op layers, random DAG (≤3 deps each), concurrency ${CONCURRENCY}, peak heap`,
  async run(context) {
    const label = `large: 100k no-op, random DAG, c=${CONCURRENCY}`;
    const { rows, figures } = await compareRunners(
      {
        label,
        dag: randomDag(LAYERS, 3, SEED),
        concurrency: CONCURRENCY,
        heap: true,
        firstRunLimitMs: 30_000,
        work: (probe) => async (layer) => {
          if (probe && layer % SAMPLE_EVERY === 0) probe.sample();
        },
      },
      context,
    );
    return {
      rows,
      notes: [
        'heap MB: peak `heapUsed` during a run above the heap left by a full collection just before it (median over runs), sampled every 5 ms and from inside every 1024th layer.',
      ],
      targets: context.verify
        ? []
        : [
            heapUnder(figures, 'large', 'fusync', 300),
            withinRatioOf(figures, 'large', 'fusync', 'minimal by name', 2.5),
          ],
    };
  },
};
