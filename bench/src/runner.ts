import type { Dag } from './dag.js';

/** A layer's work. A runner calls it once per layer, after every dependency's work has resolved. */
export type Work = (layer: number) => Promise<unknown>;

/**
 * One way of running a dependency graph under a concurrency limit. A run
 * starts from the plain `Dag`: building the runner's own structures (a
 * sequence, a node map, a task object) is part of what is measured, as it is
 * part of what a user pays.
 */
export interface Runner {
  readonly name: string;
  run(dag: Dag, work: Work, concurrency: number): Promise<void>;
  /**
   * A peer may be left out of a scenario it cannot finish in reasonable time
   * (reported as skipped, with the reason); the engine and the floor never are.
   */
  readonly peer: boolean;
  /** Beyond this many layers the runner is skipped, for the reason given. */
  readonly limit?: { readonly maxLayers: number; readonly reason: string };
}
