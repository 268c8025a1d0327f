import { compareRunners, engineSuite } from '../compare.js';
import {
  criticalPath,
  idealFifoMakespan,
  makespanLowerBound,
  randomDag,
  randomDurations,
} from '../dag.js';
import { median } from '../measure.js';
import type { Work } from '../runner.js';
import type { Scenario } from '../scenario.js';
import { formatMs, formatRatio } from '../table.js';
import { withinBound } from '../targets.js';

const LAYERS = 300;
const CONCURRENCY = 8;
const GRAPH_SEED = 0x5eed03;
const DURATION_SEED = 0x5eed04;

/** What one run's layers really took: timers fire late, more so on a busy machine. */
interface Observed {
  /** Makespan ÷ the bound recomputed from the durations the layers actually took. */
  ratio: number;
  /** Mean of (actual − nominal) duration per layer, in ms. */
  lateness: number;
}

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
    const observed = new Map<string, Observed[]>();

    // Each layer records when it really started and ended, so a run can also be judged against
    // the bound of the durations its layers actually took: what is left is the runner's own doing.
    const work = (runner: string): Work => {
      const start = new Float64Array(LAYERS);
      const end = new Float64Array(LAYERS);
      let left = LAYERS;
      const finish = (): void => {
        const actual = Array.from(end, (e, i) => e - (start[i] as number));
        const span = Math.max(...end) - Math.min(...start);
        const lateness =
          actual.reduce((sum, d, i) => sum + d - (durations[i] as number), 0) / LAYERS;
        const runs = observed.get(runner) ?? [];
        runs.push({ ratio: span / makespanLowerBound(dag, actual, CONCURRENCY), lateness });
        observed.set(runner, runs);
      };
      return (layer) => {
        start[layer] = performance.now();
        return new Promise<void>((resolve) =>
          setTimeout(() => {
            end[layer] = performance.now();
            left--;
            if (left === 0) finish();
            resolve();
          }, durations[layer]),
        );
      };
    };

    const label = `makespan: 300 × 5–40 ms, random DAG, c=${CONCURRENCY}`;
    const { rows, figures } = await compareRunners(
      {
        label,
        dag,
        concurrency: CONCURRENCY,
        work: (_probe, runner) => work(runner),
        lowerBound: bound,
      },
      context,
    );
    const total = durations.reduce((sum, d) => sum + d, 0);
    const notes = [
      `makespan lower bound ${formatMs(bound)} ms = max(critical path ${formatMs(criticalPath(dag, durations))} ms, total work ${formatMs(total)} ms / ${CONCURRENCY}); the ideal FIFO dependency-driven schedule on a virtual clock takes ${formatMs(ideal)} ms (${formatRatio(ideal / bound)}).`,
    ];
    if (!context.verify) {
      // Only the measured runs: warm-ups come first for every runner.
      const judged = [...observed].map(([runner, runs]) => {
        const measured = runs.slice(-(figures.get(runner)?.runs ?? runs.length));
        return {
          runner,
          ratio: median(measured.map((r) => r.ratio)),
          lateness: median(measured.map((r) => r.lateness)),
        };
      });
      notes.push(
        `Timers fire late (median lateness per layer: ${judged.map((j) => `${j.runner} ${j.lateness.toFixed(2)} ms`).join(', ')}). Against the bound recomputed from the durations the layers actually took, which leaves only the runner's own idle slots and overhead: ${judged.map((j) => `${j.runner} ${formatRatio(j.ratio)}`).join(', ')}.`,
      );
    }
    return {
      rows,
      notes,
      targets: context.verify ? [] : [withinBound(figures, 'makespan', 'fusync', bound, 1.05)],
    };
  },
};
