import type { RunInput } from './protocol.js';

/** An attempt's outcome, as a worker reports it. */
export type OutcomeInput = Extract<RunInput, { k: 'outcome' }>;

/** A run coordinated in this process, which a worker here can hand outcomes to directly. */
export interface LocalRun {
  /**
   * Applies the outcome and resolves `true` once it is in the run's log and
   * the jobs it admitted are queued; `false` when this coordinator can no
   * longer take it (detached, lease lost, run over): send it by mail instead.
   */
  recordOutcome(outcome: OutcomeInput): Promise<boolean>;
}

/**
 * The runs this process coordinates, by key prefix and run id. A worker
 * finishing an attempt of one of them skips the mail round trip: the
 * coordinator applies the outcome at once and the next layers' jobs are
 * queued before the worker asks BullMQ for its next job.
 */
const runs = new Map<string, LocalRun>();

const keyOf = (prefix: string, runId: string): string => `${prefix}\u0000${runId}`;

export const localRuns = {
  get(prefix: string, runId: string): LocalRun | undefined {
    return runs.get(keyOf(prefix, runId));
  },
  add(prefix: string, runId: string, run: LocalRun): void {
    runs.set(keyOf(prefix, runId), run);
  },
  delete(prefix: string, runId: string, run: LocalRun): void {
    const key = keyOf(prefix, runId);
    if (runs.get(key) === run) runs.delete(key);
  },
};
