import { compareRunners, engineSuite, noop } from '../compare.js';
import { randomDag } from '../dag.js';
import type { Scenario } from '../scenario.js';
import { fasterThan, ratioNote, withinRatioOf } from '../targets.js';

const LAYERS = 10_000;
const CONCURRENCY = 64;
const SEED = 0x5eed01;

/** Scheduling overhead: many no-op layers on a random graph, so the runner's own work is all there is to time. */
export const overhead: Scenario = {
  id: 'overhead',
  suite: engineSuite,
  title: `${LAYERS} no-op layers, random DAG (≤3 deps each), concurrency ${CONCURRENCY}`,
  async run(context) {
    const label = `overhead: 10k no-op, random DAG, c=${CONCURRENCY}`;
    const { rows, figures } = await compareRunners(
      { label, dag: randomDag(LAYERS, 3, SEED), concurrency: CONCURRENCY, work: () => noop },
      context,
    );
    return {
      rows,
      notes: context.verify ? [] : ratioNote(figures, 'overhead', 'fusync', 'minimal by name'),
      targets: context.verify
        ? []
        : [
            withinRatioOf(figures, 'overhead', 'fusync', 'minimal by name', 2.5),
            fasterThan(figures, 'overhead', 'fusync', 'p-graph'),
            fasterThan(figures, 'overhead', 'fusync', 'async.auto'),
          ],
    };
  },
};
