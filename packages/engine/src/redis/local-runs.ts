import type { RunInput } from './protocol.js';

/** An attempt's outcome, as a worker reports it. */
export type OutcomeInput = Extract<RunInput, { k: 'outcome' }>;

/** What a worker tells a run's coordinator: an attempt's outcome, or that it took a job over. */
export type WorkerInput = Extract<RunInput, { k: 'outcome' | 'redelivered' }>;

/** A run coordinated in this process, which a worker here can hand its inputs to directly. */
export interface LocalRun {
  /**
   * Applies the input and resolves `true` once it is in the run's log and
   * the jobs it admitted are queued; `false` when this coordinator can no
   * longer take it (detached, lease lost, run over): send it by mail instead.
   */
  recordFromWorker(input: WorkerInput): Promise<boolean>;
}

/**
 * The runs one process coordinates, by key prefix and run id, shared by its
 * coordinators (a `RedisRunManager`, the `useRedis` runner) and the workers
 * started beside them (`startWorker({ localRuns })`). A worker finishing an
 * attempt of one of them skips the mail round trip: the coordinator applies
 * the outcome at once and the next layers' jobs are queued before the worker
 * asks BullMQ for its next job. Without it, outcomes go by mail.
 *
 * @example
 * const manager = new RedisRunManager({ connection });
 * const worker = startWorker({ connection, operations, localRuns: manager.localRuns });
 */
export class LocalRuns {
  readonly #runs = new Map<string, LocalRun>();

  get(prefix: string, runId: string): LocalRun | undefined {
    return this.#runs.get(keyOf(prefix, runId));
  }

  add(prefix: string, runId: string, run: LocalRun): void {
    this.#runs.set(keyOf(prefix, runId), run);
  }

  /** Forgets `run`, unless another coordinator has taken its place since. */
  delete(prefix: string, runId: string, run: LocalRun): void {
    const key = keyOf(prefix, runId);
    if (this.#runs.get(key) === run) this.#runs.delete(key);
  }
}

const keyOf = (prefix: string, runId: string): string => `${prefix}\u0000${runId}`;
