import { compareRunners, engineSuite, noop } from '../compare.js';
import { fanOutDag } from '../dag.js';
import type { Scenario } from '../scenario.js';
import { fasterThan, ratioNote, withinRatioOf } from '../targets.js';

const WIDTH = 10_000;
const CONCURRENCY = 256;

/** Overhead of a wide graph: one root releases 10,000 layers at once, one sink waits for all of them. */
export const fanOut: Scenario = {
  id: 'fan-out',
  suite: engineSuite,
  title: `root → ${WIDTH} no-op layers → sink, concurrency ${CONCURRENCY}`,
  async run(context) {
    const label = `fan-out: root → 10k → sink, c=${CONCURRENCY}`;
    const { rows, figures } = await compareRunners(
      { label, dag: fanOutDag(WIDTH), concurrency: CONCURRENCY, work: () => noop },
      context,
    );
    return {
      rows,
      notes: context.verify ? [] : ratioNote(figures, 'fan-out', 'fusync', 'minimal by name'),
      targets: context.verify
        ? []
        : [
            withinRatioOf(figures, 'fan-out', 'fusync', 'minimal by name', 2.5),
            fasterThan(figures, 'fan-out', 'fusync', 'p-graph'),
            fasterThan(figures, 'fan-out', 'fusync', 'async.auto'),
          ],
    };
  },
};
