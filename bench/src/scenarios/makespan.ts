import { compareRunners, engineSuite } from '../compare.js';
import {
  criticalPath,
  idealFifoMakespan,
  makespanLowerBound,
  randomDag,
  randomDurations,
} from '../dag.js';
import type { Work } from '../runner.js';
import type { Scenario } from '../scenario.js';
import { formatMs, formatRatio } from '../table.js';
import { withinBound } from '../targets.js';

const LAYERS = 300;
const CONCURRENCY = 8;
const GRAPH_SEED = 0x5eed03;
const DURATION_SEED = 0x5eed04;

/**
 * Scheduling quality: layers that take real time (timers of 5–40 ms), so a
 * runner that leaves slots idle (waiting for unrelated layers) shows it.
 */
export const makespan: Scenario = {
  id: 'makespan',
  suite: engineSuite,
  title: `${LAYERS} layers of 5–40 ms, random DAG, concurrency ${CONCURRENCY}`,
  async run(context) {
    const dag = randomDag(LAYERS, 3, GRAPH_SEED);
    const durations = randomDurations(LAYERS, 5, 40, DURATION_SEED);
    const bound = makespanLowerBound(dag, durations, CONCURRENCY);
    const ideal = idealFifoMakespan(dag, durations, CONCURRENCY);
    const work: Work = (layer) => new Promise((resolve) => setTimeout(resolve, durations[layer]));
    const label = `makespan: 300 × 5–40 ms, random DAG, c=${CONCURRENCY}`;
    const { rows, figures } = await compareRunners(
      { label, dag, concurrency: CONCURRENCY, work: () => work, lowerBound: bound },
      context,
    );
    const total = durations.reduce((sum, d) => sum + d, 0);
    return {
      rows,
      notes: [
        `makespan lower bound ${formatMs(bound)} ms = max(critical path ${formatMs(criticalPath(dag, durations))} ms, total work ${formatMs(total)} ms / ${CONCURRENCY}); the ideal FIFO dependency-driven schedule on a virtual clock takes ${formatMs(ideal)} ms (${formatRatio(ideal / bound)}), the rest is timer lateness and runner overhead.`,
      ],
      targets: context.verify ? [] : [withinBound(figures, 'makespan', 'fusync', bound, 1.05)],
    };
  },
};
