import type { SequenceBuilderClass } from './fusync-runner.js';
import type { RunPlan } from './measure.js';
import type { Runner } from './runner.js';
import type { ScenarioReport } from './table.js';

/** A group of scenarios printed as one table. */
export interface Suite {
  readonly id: string;
  readonly title: string;
  /** Columns of the timing table. */
  readonly columns: readonly string[];
  /** Columns of the `--verify` table. */
  readonly verifyColumns: readonly string[];
}

export interface ScenarioContext {
  readonly plan: RunPlan;
  /** The runners to compare, in table order. */
  readonly runners: readonly Runner[];
  /** Check correctness (dependency order, concurrency) once per runner instead of timing. */
  readonly verify: boolean;
  /**
   * A candidate build's builder (`--candidate`), for scenarios that drive the
   * builder themselves rather than through `runners`.
   */
  readonly candidate?: SequenceBuilderClass | undefined;
  /** Progress lines (stderr), kept out of the results. */
  log(line: string): void;
}

/**
 * One benchmark scenario: one file in `scenarios/`, listed in
 * `scenarios/index.ts`. Its rows join its suite's table.
 */
export interface Scenario {
  /** Short id for `--only`. */
  readonly id: string;
  readonly suite: Suite;
  /** What it measures, printed in progress lines. */
  readonly title: string;
  run(context: ScenarioContext): Promise<ScenarioReport>;
}
