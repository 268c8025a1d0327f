/**
 * The event record of a run: every state change, in order. The run result,
 * metrics, ASCII timeline, Gantt chart, live status, server streams and spans
 * are all functions of this one list, whichever queue ran the sequence.
 */

/** Final status of a run. `failed`: at least one layer failed; `cancelled`: stopped from outside. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Status of one layer during and after a run. */
export type LayerStatus =
  | 'pending'
  | 'queued'
  | 'running'
  | 'retrying'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'cancelled';

/** A serialisable error, as events carry it. */
export interface ErrorInfo {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

interface EventBase {
  /** Position in the run's record, from 0. */
  seq: number;
  runId: string;
  /** Milliseconds since the epoch, from the run's clock. */
  time: number;
}

/** The run began: its layers and options, its input, and the parent run of a rerun. */
export interface RunStartedEvent extends EventBase {
  type: 'run:started';
  /** Layer names in declaration order, with their dependencies: enough to draw the graph. */
  layers: { name: string; dependsOn: string[]; priority: number; operation?: string }[];
  concurrency: number;
  queueType: 'FIFO' | 'LIFO';
  sequenceName?: string;
  /** Set on a rerun: the run whose succeeded layers this one reuses. */
  parentRunId?: string;
  /**
   * The run input, by reference in memory (so a rerun can default to it). Over
   * a process or HTTP boundary it is the JSON the run was given.
   */
  input?: Record<string, unknown>;
}

/** A layer became ready: all its dependencies succeeded (or it has none), or its retry delay passed. */
export interface LayerQueuedEvent extends EventBase {
  type: 'layer:queued';
  layer: string;
}

/** An attempt of a layer started, with the values it was called with. */
export interface LayerStartedEvent extends EventBase {
  type: 'layer:started';
  layer: string;
  attempt: number;
  /** Which worker ran the attempt (`memory` in process). */
  worker?: string;
  /**
   * The values the function was called with, without the context object;
   * absent when they could not be resolved (the attempt then fails with
   * `ARGUMENT_UNRESOLVED`). In memory these are the values themselves, not
   * copies; across a process or HTTP boundary they are JSON-safe, each value
   * larger than `WIRE_VALUE_LIMIT` replaced by an `OmittedValue` marker.
   */
  args?: unknown[];
}

/**
 * An attempt's job was handed to another worker because the one holding it
 * went away (its process died or lost its lock) before reporting an outcome.
 * The attempt is the same — same number, same arguments, it is not a retry —
 * but its time so far is lost: from the attempt's (last) start to this event
 * it ran on `lostWorker`, from here on it runs on `worker`. Only the Redis
 * backend logs it; a run in memory never has one.
 */
export interface LayerRedeliveredEvent extends EventBase {
  type: 'layer:redelivered';
  layer: string;
  attempt: number;
  /** The worker the attempt runs on from now. */
  worker: string;
  /** The worker that held the attempt and went away; absent when it had not said who it was. */
  lostWorker?: string;
}

/** An attempt failed and the layer will run again after `delayMs`. */
export interface LayerRetryingEvent extends EventBase {
  type: 'layer:retrying';
  layer: string;
  /** The attempt that failed. */
  attempt: number;
  error: ErrorInfo;
  /** Wait before the next attempt starts. */
  delayMs: number;
  /** Who ran the attempt, when the driver says so at its outcome (over Redis: the worker process). */
  worker?: string;
}

/** A layer's attempt returned: `result` is the layer's result. */
export interface LayerSucceededEvent extends EventBase {
  type: 'layer:succeeded';
  layer: string;
  attempt: number;
  result: unknown;
  /** Who ran the attempt, when the driver says so at its outcome (over Redis: the worker process). */
  worker?: string;
}

/** A layer's last attempt failed, or was cancelled (`cancelled: true`). */
export interface LayerFailedEvent extends EventBase {
  type: 'layer:failed';
  layer: string;
  attempt: number;
  error: ErrorInfo;
  /** `cancelled` when the attempt was stopped by a cancel or an abort elsewhere, not by its own error. */
  cancelled?: boolean;
  /** Who ran the attempt, when the driver says so at its outcome (over Redis: the worker process). */
  worker?: string;
}

/** A layer will not run: a dependency failed, or the run stopped first. */
export interface LayerSkippedEvent extends EventBase {
  type: 'layer:skipped';
  layer: string;
  /** `upstream-failed`: a dependency failed; `run-stopped`: the run was aborted or cancelled first. */
  reason: 'upstream-failed' | 'run-stopped';
  /** The failed layer that caused the skip, when there is one. */
  because?: string;
}

/**
 * A layer of a rerun that was not executed: its result is the one it had in
 * the parent run. Logged right after `run:started`, before any layer is
 * queued, one per reused layer in declaration order.
 */
export interface LayerReusedEvent extends EventBase {
  type: 'layer:reused';
  layer: string;
  /** The run the result comes from. */
  reusedFrom: string;
  result: unknown;
}

/** The run ended, with its final status (and why, when it did not succeed on its own). */
export interface RunFinishedEvent extends EventBase {
  type: 'run:finished';
  status: Exclude<RunStatus, 'running'>;
  error?: ErrorInfo;
}

/**
 * Any event of a run's record.
 *
 * @example
 * sequence.build(input, { onEvent: (event: RunEvent) => {
 *   if (event.type === 'layer:failed') console.error(event.layer, event.error.message);
 * } });
 */
export type RunEvent =
  | RunStartedEvent
  | LayerQueuedEvent
  | LayerStartedEvent
  | LayerRedeliveredEvent
  | LayerRetryingEvent
  | LayerSucceededEvent
  | LayerFailedEvent
  | LayerSkippedEvent
  | LayerReusedEvent
  | RunFinishedEvent;

/** The `type` of an event: `'run:started'`, `'layer:queued'`, … */
export type RunEventType = RunEvent['type'];

/** An event before the recorder gives it its place and time. */
export type RunEventInput = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, 'seq' | 'runId' | 'time'>
    : never
  : never;

/** Turns any thrown value into the serialisable form events carry. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) {
    const info: ErrorInfo = { name: error.name, message: error.message };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') info.code = code;
    if (error.stack) info.stack = error.stack;
    return info;
  }
  return {
    name: 'Error',
    message: typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error)),
  };
}
