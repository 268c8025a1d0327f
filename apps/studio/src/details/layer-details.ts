import type { AttemptRecord, ErrorInfo, LayerStatus, RunRecord } from 'fusync';

/** One attempt of a layer as the details panel shows it. */
export interface AttemptDetails {
  attempt: number;
  outcome: AttemptRecord['outcome'];
  /** Start, in ms from the run's start. */
  startOffsetMs: number;
  /** Undefined while the attempt runs. */
  durationMs: number | undefined;
  /**
   * Time before the attempt started: for the first attempt, since the layer
   * was ready (`queuedAt`); for a retry, since the previous attempt ended
   * (the retry delay plus any wait for a free slot).
   */
  waitMs: number | undefined;
  waitSince: 'ready' | 'previous-attempt';
  worker: string | undefined;
  /** The values the function was called with; undefined when the record has none. */
  args: unknown[] | undefined;
  error: ErrorInfo | undefined;
  /** The layer's result, on the attempt that produced it. */
  result: { value: unknown } | undefined;
}

/** What a run knows of one layer: the details panel's model. */
export interface LayerDetails {
  name: string;
  runId: string;
  status: LayerStatus;
  operation: string | undefined;
  /** Set when the layer was not executed: its result is the one it had in this run. */
  reusedFrom: string | undefined;
  /** Ready, in ms from the run's start. */
  readyOffsetMs: number | undefined;
  durationMs: number | undefined;
  /**
   * Each part of each attempt, in order: an attempt whose worker was lost and
   * that went on on another one (Redis) has a part per worker, the first one
   * with outcome `lost`.
   */
  attempts: AttemptDetails[];
  /** How many times the layer was called: attempts, not their parts. */
  attemptCount: number;
  /** How many times a worker running the layer was lost and the attempt redelivered. */
  redeliveries: number;
  /** The result of a succeeded layer (a reused one included). */
  result: { value: unknown } | undefined;
  error: ErrorInfo | undefined;
  skippedBecause: string | undefined;
}

/**
 * The details of one layer of a run, from its record: every attempt with
 * its timing, wait, worker, arguments and outcome. Undefined when the run
 * has no layer of that name.
 *
 * @example
 * const details = layerDetails(record, 'createOrder');
 * details?.attempts.map((attempt) => attempt.args);
 */
export function layerDetails(record: RunRecord, name: string): LayerDetails | undefined {
  const layer = record.layers.find((candidate) => candidate.name === name);
  if (!layer) return undefined;
  const succeeded = layer.status === 'succeeded';
  const attempts = layer.attempts.map((attempt, index): AttemptDetails => {
    const previous = index === 0 ? undefined : layer.attempts[index - 1];
    const since = previous ? previous.end : layer.queuedAt;
    return {
      attempt: attempt.attempt,
      outcome: attempt.outcome,
      startOffsetMs: attempt.start - record.startedAt,
      durationMs: attempt.end === undefined ? undefined : attempt.end - attempt.start,
      waitMs: since === undefined ? undefined : Math.max(0, attempt.start - since),
      waitSince: previous ? 'previous-attempt' : 'ready',
      worker: attempt.worker,
      args: attempt.args,
      error: attempt.error,
      result: succeeded && attempt.outcome === 'succeeded' ? { value: layer.result } : undefined,
    };
  });
  return {
    name: layer.name,
    runId: record.runId,
    status: layer.status,
    operation: layer.operation,
    reusedFrom: layer.reusedFrom,
    readyOffsetMs: layer.queuedAt === undefined ? undefined : layer.queuedAt - record.startedAt,
    durationMs: layer.durationMs,
    attempts,
    attemptCount: new Set(attempts.map((attempt) => attempt.attempt)).size,
    redeliveries: attempts.filter((attempt) => attempt.outcome === 'lost').length,
    result: succeeded ? { value: layer.result } : undefined,
    error: layer.error,
    skippedBecause: layer.skippedBecause,
  };
}
