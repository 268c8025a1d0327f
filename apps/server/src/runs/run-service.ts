import type { LayerStatus, RunEvent, RunMetrics, RunStatus, SequenceJson } from 'fusync';

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
}

/** One layer of a run, as `GET /api/runs/:id` reports it. */
export interface LayerView {
  name: string;
  operation: string | undefined;
  dependsOn: string[];
  status: LayerStatus;
  attempts: number;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  durationMs: number | undefined;
  result?: unknown;
  error?: { name: string; message: string; code?: string };
  skippedBecause?: string;
}

/** A run with its layers and metrics, derived from its events. */
export interface RunView extends RunSummary {
  layers: LayerView[];
  metrics: RunMetrics;
  error?: { name: string; message: string; code?: string };
  /** Seq of the last event so far: resume `GET /api/runs/:id/events?after=` from here. */
  lastEventSeq: number;
}

/** Options of `RunService.start`. */
export interface StartRunOptions {
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
   */
  start(
    sequence: SequenceJson,
    input: Record<string, unknown>,
    options?: StartRunOptions,
  ): Promise<{ runId: string }>;
  /** Known runs, newest first. */
  list(): Promise<RunSummary[]>;
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
