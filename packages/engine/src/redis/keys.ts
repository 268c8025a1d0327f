/**
 * Key names of the Redis backend. Every key of one run shares the `{runId}`
 * hash tag, so a run's keys live on one Redis Cluster slot and a Lua script
 * (or a MULTI) may touch several of them; runs spread over the masters. The
 * keys of the whole key space (`runs`, `active`, `sequences`) are each on a
 * slot of their own and are never written in one step with a run's keys.
 */
export interface RunKeys {
  /** Hash: `sequence` (JSON), `input` (JSON), `status`, `createdAt`, `finishedAt`, `queue`. */
  readonly meta: string;
  /**
   * Stream: the run's event record. Each entry holds the events one flush
   * recorded (field `e`, a JSON array, in order); its id is `<last seq + 1>-0`.
   */
  readonly events: string;
  /**
   * Stream: the run's inputs log — everything that happened to the run from
   * outside its scheduler (attempt outcomes, redeliveries, retry timers, cancels), in the
   * order the coordinator applied it. Only the coordinator holding the lease
   * appends to it (explicit ids `<n>-0`, n = 1, 2, …), in the same atomic
   * write as the events those inputs produced; replaying it through a new
   * scheduler rebuilds the run.
   */
  readonly inputs: string;
  /**
   * Stream: what others send the coordinator — outcomes and redelivery
   * notices from workers in other processes, cancels. The coordinator moves each entry into `inputs`
   * (noting its id in field `m`) as it applies it.
   */
  readonly mail: string;
  /** Hash: `<layer>:<attempt>` → 1 once that attempt's outcome is recorded. */
  readonly done: string;
  /**
   * Hash: `<layer>:<attempt>` → the name of the worker that took that
   * attempt's job last, written by the worker as it starts the attempt. A
   * worker the job is redelivered to reads it to name the worker it lost.
   */
  readonly deliveries: string;
  /** String: the coordinator that owns the run now, with a time to live. */
  readonly lease: string;
  /** String: set when the run stops (cancel, abort, finish): workers skip its remaining jobs. */
  readonly stopped: string;
}

export interface KeySpace {
  readonly prefix: string;
  run(runId: string): RunKeys;
  /** Sorted set of run ids by start time. */
  readonly runs: string;
  /** Set of run ids not finished yet: what a restarted server resumes. */
  readonly active: string;
  /** Hash: stored sequences by name. */
  readonly sequences: string;
  /** Pub/sub channel: run ids whose running attempts must be aborted. */
  readonly cancelChannel: string;
  /**
   * Pub/sub channel, on a Redis Cluster only: the key of a mail stream that
   * was just written, so the coordinator reading it looks (a blocking read
   * cannot wait on streams of several slots at once).
   */
  readonly mailChannel: string;
  /**
   * Pub/sub channel: `<run id>\n<mail id>` once a coordinator has logged a
   * run's mail up to that entry and queued the jobs it admitted, so workers
   * waiting on outcomes they mailed give their slots back (see `startWorker`).
   */
  readonly loggedChannel: string;
}

/** The key names under `prefix` (default `fusync`). */
export function keySpace(prefix = 'fusync'): KeySpace {
  return {
    prefix,
    run(runId) {
      const base = `${prefix}:run:{${runId}}`;
      return {
        meta: `${base}:meta`,
        events: `${base}:events`,
        inputs: `${base}:inputs`,
        mail: `${base}:mail`,
        done: `${base}:done`,
        deliveries: `${base}:deliveries`,
        lease: `${base}:lease`,
        stopped: `${base}:stopped`,
      };
    },
    runs: `${prefix}:runs`,
    active: `${prefix}:runs:active`,
    sequences: `${prefix}:sequences`,
    cancelChannel: `${prefix}:cancel`,
    mailChannel: `${prefix}:mail`,
    loggedChannel: `${prefix}:logged`,
  };
}

/**
 * BullMQ's key prefix for `queue`. BullMQ's scripts touch several keys of a
 * queue at once, so on a Redis Cluster they must share a slot: the queue's
 * name is the hash tag. One queue lives on one slot; queues (the builder's
 * per-run ones among them) spread over the masters.
 */
export function bullPrefix(prefix: string, queue: string): string {
  return `${prefix}:bull:{${queue}}`;
}

/** BullMQ job id of one attempt: deterministic, so enqueueing it twice adds one job. No `:` (BullMQ reserves it). */
export function attemptJobId(runId: string, layer: number, attempt: number): string {
  return `${runId}_${layer}_${attempt}`;
}

/** Events of a run's events stream, in order: entries hold JSON arrays of events. */
export function eventsOfEntries<E extends { seq: number }>(
  entries: [string, string[]][],
  after = -1,
): E[] {
  const out: E[] = [];
  for (const [, fields] of entries) {
    for (const event of JSON.parse(fields[1] as string) as E[])
      if (event.seq > after) out.push(event);
  }
  return out;
}

/**
 * The first events-stream id that can hold an event with `seq > after`: an
 * entry's id is its last event's seq + 1.
 */
export function eventsStartAfter(after: number | undefined): string {
  return after === undefined ? '-' : `${after + 2}-0`;
}
