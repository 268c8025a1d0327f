import { fusync, fusyncWholeRecord } from './fusync-runner.js';
import { asyncAuto } from './peers/async-auto.js';
import { levelBarrier } from './peers/level-barrier.js';
import { minimalByName } from './peers/minimal-by-name.js';
import { minimalScheduler } from './peers/minimal-scheduler.js';
import { pGraph } from './peers/p-graph.js';
import type { Runner } from './runner.js';

/** Every runner of the engine suite, in table order; the minimal scheduler, the floor, comes last. */
export const runners: readonly Runner[] = [
  fusync,
  fusyncWholeRecord,
  pGraph,
  asyncAuto,
  levelBarrier,
  minimalByName,
  minimalScheduler,
];

/** The runner every ratio is taken against. */
export const baseline: Runner = minimalScheduler;
