import type { ErrorInfo } from '../core/events.js';

/** What a worker receives for one layer attempt. Arguments are resolved by the coordinator. */
export interface LayerJobData {
  runId: string;
  /** Key prefix of the run's keys. */
  prefix: string;
  /** Layer index in the sequence. */
  layer: number;
  name: string;
  attempt: number;
  operation?: string;
  args: unknown[];
  /** Positions in `args` that are `undefined` (JSON would turn them into `null`). */
  undefinedArgs?: number[];
  timeout?: number;
  /** W3C `traceparent` of the attempt's span, so the worker's spans join the run's trace. */
  traceparent?: string;
}

/**
 * An entry of a run's inputs stream: everything that happens to a run from
 * outside its scheduler, in the order the coordinator applies it. Replaying
 * the stream through a new scheduler rebuilds the run's state.
 */
export type RunInput =
  | { k: 'outcome'; layer: number; attempt: number; ok: true; result: unknown; worker: string }
  | {
      k: 'outcome';
      layer: number;
      attempt: number;
      ok: false;
      error: ErrorInfo;
      retryable: boolean;
      worker: string;
    }
  /**
   * A worker took over the attempt's job from a worker that went away
   * (`lostWorker`, when the `deliveries` hash knew it): sent before it calls
   * the function, so the record shows the lost time and the new worker.
   */
  | { k: 'redelivered'; layer: number; attempt: number; worker: string; lostWorker?: string }
  | { k: 'retry'; layer: number; attempt: number }
  /** The next slice of layers may start (see `START_SLICE`). */
  | { k: 'slice' }
  | { k: 'cancel'; reason?: string; error?: ErrorInfo };

/** Rebuilds an Error from its serialised form, keeping the remote stack. */
export function errorFromInfo(info: ErrorInfo): Error {
  const error = new Error(info.message);
  error.name = info.name;
  if (info.code !== undefined) (error as Error & { code?: string }).code = info.code;
  error.stack = info.stack ?? `${info.name}: ${info.message}`;
  return error;
}

/** The field of an attempt in the run's `done` hash. */
export function attemptField(layer: number, attempt: number): string {
  return `${layer}:${attempt}`;
}
