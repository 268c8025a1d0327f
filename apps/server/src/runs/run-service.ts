import type {
  AttemptRecord,
  LayerStatus,
  RerunFrom,
  RunEvent,
  RunMetrics,
  RunStatus,
} from 'fusync';

/** A run in a list: enough to show a row. */
export interface RunSummary {
  runId: string;
  sequenceName: string | undefined;
  status: RunStatus;
  /** Epoch ms. */
  startedAt: number;
  finishedAt: number | undefined;
  durationMs: number | undefined;
  layerCount: number;
  /** Set when the run is a rerun: the run whose results it reused. */
  parentRunId?: string;
}

/** An error as a run records it: a layer's operation threw it. */
export interface ErrorView {
  name: string;
  message: string;
  code?: string;
  /** Where the operation threw: a run's record is for debugging it. */
  stack?: string;
}

/** One attempt of a layer, as `GET /api/runs/:id` reports it. */
export interface AttemptView {
  /** From 1. */
  attempt: number;
  /** Epoch ms. */
  start: number;
  /** Epoch ms; undefined while the attempt runs. */
  end: number | undefined;
  /**
   * `lost` (Redis mode only): this part of the attempt ran on `worker`, which
   * went away before reporting an outcome; the attempt went on on another
   * worker — the next entry, with the same `attempt` number.
   */
  outcome: AttemptRecord['outcome'];
  /** Which worker ran it (`memory` in the server process). */
  worker?: string;
  /**
   * The values the operation was called with (context object left out),
   * JSON-safe: each one over `WIRE_VALUE_LIMIT` characters of JSON, or not
   * JSON at all, is an `OmittedValue` marker. Absent when they could not be
   * resolved.
   */
  args?: unknown[];
  /** On the attempt that succeeded: the layer's result, JSON-safe and size-capped. */
  result?: unknown;
  error?: ErrorView;
}

/** One layer of a run, as `GET /api/runs/:id` reports it. */
export interface LayerView {
  name: string;
  operation: string | undefined;
  dependsOn: string[];
  status: LayerStatus;
  /** Every attempt, in order; none for a layer not started, skipped or reused. */
  attempts: AttemptView[];
  /**
   * Attempts made: `attempts` without the parts lost with a worker
   * (`outcome: 'lost'`), which belong to the attempt that follows them.
   */
  attemptCount: number;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  durationMs: number | undefined;
  /** A succeeded layer's result, JSON-safe and size-capped. */
  result?: unknown;
  error?: ErrorView;
  skippedBecause?: string;
  /** Set when a rerun did not execute the layer: the run its result comes from. */
  reusedFrom?: string;
}

/** A run with its layers and metrics, derived from its events. */
export interface RunView extends RunSummary {
  /** The run's input, JSON-safe and size-capped. */
  input?: unknown;
  layers: LayerView[];
  metrics: RunMetrics;
  error?: ErrorView;
  /** Seq of the last event so far: resume `GET /api/runs/:id/events?after=` from here. */
  lastEventSeq: number;
}

/** Runs `GET /api/runs` lists when the request does not say (`?limit=`). */
export const DEFAULT_PAGE_SIZE = 100;
/** Most runs one page may list. */
export const MAX_PAGE_SIZE = 1000;

/** Which runs `RunService.list` answers with. */
export interface RunPage {
  limit?: number;
  /** The last run of the previous page. */
  after?: string;
}

/** Options of `RunService.start`. */
export interface StartRunOptions {
  /** Id of the new run (letters, digits, `_`, `-`). Default: a random id. */
  runId?: string;
}

/** Options of `RunService.rerun`. */
export interface RerunOptions {
  /**
   * `'failed'` (default): every layer that did not succeed, plus everything
   * downstream. Layer names: those, plus everything downstream.
   */
  from?: RerunFrom;
  /** Input of the layers that run again. Default: the parent run's input. */
  input?: Record<string, unknown>;
  /** Id of the new run (letters, digits, `_`, `-`). Default: a random id. */
  runId?: string;
}

/** Options of `RunService.events`. */
export interface RunEventsOptions {
  /** Replay only events whose `seq` is greater than this. Default: everything. */
  after?: number;
  /** Stops following the run (the iterable ends). */
  signal?: AbortSignal;
  /** `false`: end after the events recorded so far instead of waiting for more. Default `true`. */
  follow?: boolean;
}

/**
 * Runs sequences and keeps each run's event record: the in-memory service
 * runs them in this process, the Redis one hands them to workers. Every view
 * of a run (status, layers, metrics, timeline, the SSE stream) derives from
 * its events.
 *
 * Left out on purpose: deleting runs and paging (a service keeps a bounded
 * number of runs itself), and execution details (workers, queues).
 */
export interface RunService {
  /**
   * Validates the whole sequence — format, operations, names, dependencies,
   * cycles — and throws a typed error before any run exists; then starts it.
   * `sequence` is read as untrusted JSON (a request body's), once.
   */
  start(
    sequence: unknown,
    input: Record<string, unknown>,
    options?: StartRunOptions,
  ): Promise<{ runId: string }>;
  /**
   * Reruns a finished run with the sequence it ran: the layers `from` names
   * and everything downstream run again, every other layer is reused with
   * its result there. `undefined` for an unknown run. A refused rerun throws
   * a typed error before any run exists: `RUN_NOT_FINISHED`, `UNKNOWN_LAYER`
   * (naming the layer and `from[i]`), `RERUN_RESULT_MISSING`,
   * `RERUN_MISMATCH`, `RUN_EXISTS`.
   */
  rerun(
    parentRunId: string,
    options?: RerunOptions,
  ): Promise<{ runId: string; parentRunId: string } | undefined>;
  /**
   * Known runs, newest first: at most `limit` (default `DEFAULT_PAGE_SIZE`),
   * those after the run `after` (the last of the previous page) when given.
   * A page costs the runs it lists, not their events. Throws
   * `INVALID_PARAMETER` when `after` names no known run.
   */
  list(page?: RunPage): Promise<RunSummary[]>;
  /** Runs started and not finished yet: what `FUSYNC_MAX_ACTIVE_RUNS` caps. */
  activeCount(): Promise<number>;
  /** The run's current view, or `undefined` for an unknown id. */
  get(runId: string): Promise<RunView | undefined>;
  /**
   * The run's events in order: its history (after `after`), then live ones
   * as they happen; ends after `run:finished`, when `signal` aborts, or —
   * with `follow: false` — after the history. An unknown run throws
   * `NOT_FOUND` when iterated.
   */
  events(runId: string, options?: RunEventsOptions): AsyncIterable<RunEvent>;
  /**
   * Cancels a running run. `undefined` for an unknown id; a finished run is
   * left as it is and reported with its final status.
   */
  cancel(runId: string): Promise<{ status: RunStatus; cancelled: boolean } | undefined>;
  /** Stops every run this service drives and releases its resources. */
  close(): Promise<void>;
}
