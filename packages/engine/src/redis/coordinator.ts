import type { Tracer } from '@opentelemetry/api';
import type { Queue } from 'bullmq';
import { resolveArguments } from '../core/arguments.js';
import { systemClock } from '../core/clock.js';
import { type RunEvent, toErrorInfo } from '../core/events.js';
import type { SequenceGraph } from '../core/graph.js';
import type { Logger } from '../core/logger.js';
import { type RunRecord, runRecordFromEvents } from '../core/run-record.js';
import { type RunReuse, RunScheduler, START_SLICE } from '../core/scheduler.js';
import { RunTelemetry } from '../core/telemetry.js';
import type { ResolvedOptions } from '../core/types.js';
import type { RedisClient } from './connection.js';
import { FailureEpisode, pause } from './failures.js';
import type { InputsReader, StreamEntries } from './inputs-reader.js';
import { RunJournal } from './journal.js';
import { eventsOfEntries, type KeySpace } from './keys.js';
import { RunLease } from './lease.js';
import type { LocalRun, LocalRuns, WorkerInput } from './local-runs.js';
import { sendMail } from './mail.js';
import { attemptField, errorFromInfo, type LayerJobData, type RunInput } from './protocol.js';
import { toTraceparent } from './trace-context.js';

export interface CoordinatorOptions {
  /** Connection for commands (auto-pipelined is best). */
  redis: RedisClient;
  /** Where the coordinator waits for its run's mail (one shared blocking read per process, or its own). */
  mail: InputsReader;
  queue: Queue<LayerJobData>;
  /**
   * The ioredis connection `queue` was built on (not auto-pipelined). The
   * log write goes on it too, so Redis applies it before the jobs queued
   * behind it. On a Redis Cluster the queue and the run are on different
   * slots, so the order of one connection means nothing: there the jobs wait
   * for the log write's answer.
   */
  queueConnection: RedisClient;
  keys: KeySpace;
  runId: string;
  graph: SequenceGraph;
  options: ResolvedOptions;
  input: Record<string, unknown>;
  tracer: Tracer;
  sequenceName?: string | undefined;
  /** Identifies this coordinator in the run's lease. */
  owner: string;
  /** A rerun: the layers kept from the parent run, with their results. */
  reuse?: RunReuse | undefined;
  /** Where workers of this process find the run to hand outcomes to directly. Without it, they send mail. */
  localRuns?: LocalRuns | undefined;
  /** Lease time to live; another coordinator takes over a run whose lease lapsed. Default 5000 ms. */
  leaseMs?: number;
  /** Every event of the run, as it is recorded. */
  onEvent?: ((event: RunEvent) => void) | undefined;
  /**
   * Whether another process may take the run over when this one goes away.
   * Default true; false for runs whose functions live only in this process
   * (`useRedis` from the builder), which nobody else could execute.
   */
  resumable?: boolean;
  /** Hears the failures the coordinator recovers from (a write retried, a lease renewal missed). */
  logger?: Logger | undefined;
}

/** A rerun's reused results as the run's metadata keeps them: `{ parentRunId, results: [[layer, result], …] }`. */
export function stringifyReuse(reuse: RunReuse): string {
  return JSON.stringify({ parentRunId: reuse.parentRunId, results: [...reuse.results] });
}

/** Reads back what `stringifyReuse` wrote. */
export function parseReuse(text: string): RunReuse {
  const parsed = JSON.parse(text) as { parentRunId: string; results: [number, unknown][] };
  return { parentRunId: parsed.parentRunId, results: new Map(parsed.results) };
}

/** Seconds finished runs' keys are kept. */
const FINISHED_RUN_TTL_S = 7 * 24 * 3600;

/**
 * Drives one run over Redis with the engine's own `RunScheduler`. Inputs
 * reach it two ways: outcomes of attempts that ran in this process, handed
 * over directly, and the run's mail stream (outcomes from workers elsewhere,
 * cancels). It applies each to the scheduler, then writes the inputs to the
 * run's log together with the events they produced (one atomic step, under
 * the run's lease), and only then queues the attempts the scheduler admitted
 * as BullMQ jobs with deterministic ids — so no job is ever queued for a
 * decision the log could lose. The scheduler is deterministic: a coordinator
 * that takes over a run (after a crash or restart) replays the log into a new
 * scheduler, reads the mail the log has not taken yet, and continues; events
 * already recorded are not written again. The lease is `RunLease`'s, the
 * writing (pending entries, ordered retrying flushes, jobs) `RunJournal`'s;
 * results come from the scheduler's own record.
 */
export class RunCoordinator implements LocalRun {
  readonly runId: string;
  readonly #o: CoordinatorOptions;
  readonly #keys: ReturnType<KeySpace['run']>;
  readonly #scheduler: RunScheduler;
  readonly #lease: RunLease;
  readonly #journal: RunJournal;
  /** Events read back from the stream when this coordinator took the run over. */
  #replayed: readonly RunEvent[] = [];
  readonly #telemetry: RunTelemetry;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #replaying = false;
  #stopRequested = false;
  #lastMailId = '0-0';
  /** Ends the wait for mail when the run finished through an input that did not come by mail. */
  #wake: (() => void) | undefined;
  #lostLease = false;
  /** A slice is owed (the scheduler held ready layers back), and one is on its way. */
  #sliceWanted = false;
  #slicePending = false;
  /** One log line when reading mail starts failing, one when it works again. */
  readonly #mailFailures: FailureEpisode;

  constructor(options: CoordinatorOptions) {
    this.#o = options;
    this.runId = options.runId;
    this.#mailFailures = new FailureEpisode(options.logger, 'reading the run’s mail', {
      run: options.runId,
    });
    this.#keys = options.keys.run(options.runId);
    const lost = (): void => {
      this.#lostLease = true;
      this.#wake?.();
    };
    this.#lease = new RunLease({
      redis: options.redis,
      runId: options.runId,
      leaseKey: this.#keys.lease,
      inputsKey: this.#keys.inputs,
      owner: options.owner,
      leaseMs: options.leaseMs,
      lastWritten: () => this.#journal.lastWritten(),
      onLost: lost,
      logger: options.logger,
    });
    this.#journal = new RunJournal({
      redis: options.redis,
      queueConnection: options.queueConnection,
      queue: options.queue,
      keys: options.keys,
      runId: options.runId,
      graph: options.graph,
      owner: options.owner,
      lease: this.#lease,
      onLost: lost,
      stopped: () => this.#stopRequested,
      logger: options.logger,
    });
    this.#telemetry = new RunTelemetry(options.tracer);
    this.#scheduler = new RunScheduler({
      graph: options.graph,
      options: options.options,
      runId: options.runId,
      clock: systemClock,
      sequenceName: options.sequenceName,
      input: options.input,
      reuse: options.reuse,
      onEvent: (event) => this.#onEvent(event),
      slice: START_SLICE,
      onSliceSpent: () => this.#sliceSpent(),
    });
  }

  /**
   * The scheduler held ready layers back: a slice of them started in this
   * turn already. The next slice starts at the event loop's next turn,
   * through the log like every input, so a takeover replays the same slices.
   */
  #sliceSpent(): void {
    this.#sliceWanted = true;
    if (this.#replaying || this.#slicePending) return;
    this.#slicePending = true;
    // Once the jobs admitted so far are written: a slice a write, never all of them in one.
    setImmediate(() => {
      void this.#journal.settled().then(() => setImmediate(() => this.#nextSlice()));
    });
  }

  #nextSlice(): void {
    this.#slicePending = false;
    if (!this.#sliceWanted || this.#stopRequested || this.#lostLease) return;
    if (this.#scheduler.finished) return;
    const input: RunInput = { k: 'slice' };
    this.#log(input, JSON.stringify(input), '');
    this.#journal.schedule();
  }

  /**
   * The run as its events describe it so far: those it took over from the
   * stream, then the scheduler's own — one record, not a second one kept
   * beside the scheduler's log.
   */
  get record(): RunRecord {
    const log = this.#scheduler.log;
    const events = this.#replayed.slice();
    for (let i = events.length; i < log.length; i++) events.push(log.event(i));
    return runRecordFromEvents(events);
  }

  #onEvent(event: RunEvent): void {
    if (!this.#journal.event(event)) return;
    this.#telemetry.onEvent(event);
    this.#o.onEvent?.(event);
  }

  /** Starts a new run and follows it to the end. */
  async start(meta: { sequence: unknown; input: Record<string, unknown> }): Promise<void> {
    await this.begin(meta);
    await this.follow();
  }

  /**
   * Records a new run (metadata, run lists, first events) and queues its first
   * layers. When it resolves the run exists for every reader and can be cancelled.
   */
  async begin(meta: { sequence: unknown; input: Record<string, unknown> }): Promise<void> {
    const keys = this.#o.keys;
    if (!(await this.#lease.take()))
      throw new Error(`Run ${this.runId} is already coordinated elsewhere.`);
    const fields: Record<string, string> = {
      sequence: JSON.stringify(meta.sequence),
      input: JSON.stringify(meta.input),
      status: 'running',
      createdAt: String(Date.now()),
      queue: this.#o.queue.name,
      // The run's summary, read by lists without its sequence or its events.
      layerCount: String(this.#o.graph.layers.length),
    };
    if (this.#o.sequenceName !== undefined) fields.sequenceName = this.#o.sequenceName;
    const reuse = this.#o.reuse;
    if (reuse !== undefined) {
      // What a coordinator taking the run over needs to rebuild the same scheduler.
      fields.parentRunId = reuse.parentRunId;
      fields.reuse = stringifyReuse(reuse);
    }
    // The run's metadata and the lists: not one transaction, as on a cluster each is on a slot of its
    // own. A crash between them leaves a run listed without metadata, which lists and takeovers skip,
    // or metadata nobody lists: either way a run that never started.
    const registered: Promise<unknown>[] = [
      this.#o.redis.hset(this.#keys.meta, fields),
      this.#o.redis.zadd(keys.runs, Date.now(), this.runId),
    ];
    // Only resumable runs are listed for takeover.
    if (this.#o.resumable !== false) registered.push(this.#o.redis.sadd(keys.active, this.runId));
    await Promise.all(registered);
    this.#lease.hold();
    this.#o.localRuns?.add(this.#o.keys.prefix, this.runId, this);
    this.#startAll(this.#scheduler.start());
    await this.#journal.first();
  }

  /** Takes over a run another coordinator left: replays its inputs, re-enqueues running attempts, follows it. */
  async resume(): Promise<boolean> {
    if (!(await this.#lease.take())) return false;
    this.#lease.hold();
    const existing = eventsOfEntries<RunEvent>(
      await this.#o.redis.xrange(this.#keys.events, '-', '+'),
    );
    this.#journal.skipEvents(existing.length);
    this.#replayed = existing;
    for (const event of existing) this.#o.onEvent?.(event);
    this.#replaying = true;
    this.#startAll(this.#scheduler.start());
    const log = await this.#o.redis.xrange(this.#keys.inputs, '-', '+');
    for (const [id, fields] of log) {
      this.#apply(JSON.parse(fields[1] as string) as RunInput);
      this.#journal.restoreLog(Number.parseInt(id, 10));
      // Mail already moved into the log is not read again.
      if (fields[2] === 'm' && fields[3] !== undefined) this.#lastMailId = fields[3];
    }
    this.#replaying = false;
    // A slice the previous coordinator owed and had not logged yet.
    if (this.#sliceWanted) this.#sliceSpent();
    this.#o.localRuns?.add(this.#o.keys.prefix, this.runId, this);
    for (let layer = 0; layer < this.#o.graph.layers.length; layer++) {
      const status = this.#scheduler.status(layer);
      if (status === 'running') this.#enqueue(layer);
      if (status === 'retrying')
        this.#armRetry(
          layer,
          this.#scheduler.attempt(layer),
          this.#o.graph.layers[layer]?.retryDelay ?? 0,
        );
    }
    await this.#journal.first();
    await this.follow();
    return true;
  }

  /** Asks the run to stop: sent by mail, so whichever coordinator holds the run applies it in order. */
  async cancel(reason?: unknown): Promise<void> {
    const input: RunInput =
      reason === undefined ? { k: 'cancel' } : { k: 'cancel', error: toErrorInfo(reason) };
    await sendMail(this.#o.redis, this.#o.keys, this.#keys.mail, JSON.stringify(input));
  }

  /** Stops following the run without finishing it (shutdown): another coordinator can take it over. */
  async detach(): Promise<void> {
    this.#stopRequested = true;
    this.#clearTimers();
    this.#release();
    await this.#lease.release();
  }

  recordFromWorker(input: WorkerInput): Promise<boolean> {
    if (this.#stopRequested || this.#lostLease || this.#scheduler.finished)
      return Promise.resolve(false);
    this.#log(input, JSON.stringify(input), '');
    const logged = this.#journal.logged();
    this.#journal.schedule();
    return logged;
  }

  /** Applies an input and queues it for the log. */
  #log(input: RunInput, text: string, mailId: string): void {
    this.#apply(input);
    this.#journal.append(
      text,
      mailId,
      input.k === 'outcome' ? attemptField(input.layer, input.attempt) : undefined,
    );
    if (this.#scheduler.finished) this.#wake?.();
  }

  /** No more local hand-overs: waiting workers send their outcomes by mail instead. */
  #release(): void {
    this.#o.localRuns?.delete(this.#o.keys.prefix, this.runId, this);
    this.#journal.letWaitersGo();
  }

  /** Stops the retry timers and the lease's renewal. */
  #clearTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#lease.stop();
  }

  /** Applies the run's inputs as they arrive until the run finishes, the coordinator detaches or loses its lease. */
  async follow(): Promise<void> {
    const finished = new Promise<undefined>((resolve) => {
      this.#wake = () => resolve(undefined);
    });
    while (!this.#scheduler.finished && !this.#stopRequested && !this.#lostLease) {
      let batch: StreamEntries | undefined;
      try {
        batch = await Promise.race([
          this.#o.mail.read(this.#keys.mail, this.#lastMailId),
          finished,
        ]);
      } catch (error) {
        if (this.#stopRequested) break;
        // Redis away: ioredis reconnects; try again after a pause.
        await pause(this.#mailFailures.failed(error));
        continue;
      }
      this.#mailFailures.succeeded();
      if (!batch) continue;
      for (const [id, fields] of batch) {
        const text = fields[1] as string;
        this.#log(JSON.parse(text) as RunInput, text, id);
        this.#lastMailId = id;
      }
      // Not awaited: the next inputs are read while this flush is on its way.
      this.#journal.schedule();
    }
    await this.#journal.settled();
    if (this.#scheduler.finished && !this.#lostLease && !this.#stopRequested) await this.#finish();
    // Lost or detached: stop renewing the lease (and retry timers), or this process would hold the run forever.
    else this.#clearTimers();
    this.#release();
  }

  #apply(input: RunInput): void {
    const scheduler = this.#scheduler;
    switch (input.k) {
      case 'outcome': {
        if (
          scheduler.status(input.layer) !== 'running' ||
          scheduler.attempt(input.layer) !== input.attempt
        )
          return;
        if (input.ok) {
          this.#startAll(scheduler.succeeded(input.layer, input.result, input.worker));
        } else {
          this.#afterFailure(
            input.layer,
            errorFromInfo(input.error),
            input.retryable,
            input.worker,
          );
        }
        return;
      }
      case 'redelivered':
        // Ignored unless that attempt still runs: an outcome that came first (a worker that only lost
        // its lock, not its life) stands.
        scheduler.redelivered(input.layer, input.attempt, input.worker, input.lostWorker);
        return;
      case 'retry':
        if (
          scheduler.status(input.layer) !== 'retrying' ||
          scheduler.attempt(input.layer) !== input.attempt
        )
          return;
        this.#startAll(scheduler.retryDue(input.layer));
        return;
      case 'slice':
        this.#sliceWanted = false;
        this.#startAll(scheduler.nextSlice());
        return;
      case 'cancel':
        scheduler.cancel(
          input.error !== undefined
            ? errorFromInfo(input.error)
            : input.reason === undefined
              ? undefined
              : new Error(input.reason),
        );
        return;
    }
  }

  #afterFailure(layer: number, error: Error, retryable: boolean, worker?: string): void {
    const attempt = this.#scheduler.attempt(layer);
    const outcome = this.#scheduler.failed(layer, error, retryable, worker);
    if (outcome.kind === 'retry' && !this.#replaying)
      this.#armRetry(layer, attempt, outcome.delayMs);
    this.#startAll(outcome.start);
  }

  #armRetry(layer: number, attempt: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#stopRequested || this.#lostLease) return;
      const input: RunInput = { k: 'retry', layer, attempt };
      this.#log(input, JSON.stringify(input), '');
      this.#journal.schedule();
    }, delayMs);
    this.#timers.add(timer);
  }

  #startAll(layers: readonly number[]): void {
    for (const layer of layers) this.#enqueue(layer);
  }

  /**
   * Resolves an admitted layer's arguments and queues its job. During a replay
   * the arguments are still resolved (an unresolvable one fails the layer, as
   * it did the first time) but no job is queued.
   */
  #enqueue(layer: number): void {
    const spec = this.#o.graph.layers[layer];
    if (!spec) return;
    let args: unknown[];
    try {
      args = resolveArguments(
        this.#o.graph,
        layer,
        this.#scheduler.log.results,
        this.#o.input,
        this.runId,
      );
    } catch (error) {
      this.#afterFailure(layer, error as Error, false);
      return;
    }
    if (this.#replaying) return;
    const job: LayerJobData = {
      runId: this.runId,
      prefix: this.#o.keys.prefix,
      layer,
      name: spec.name,
      attempt: this.#scheduler.attempt(layer),
      args,
    };
    const undefinedArgs = args.flatMap((value, at) => (value === undefined ? [at] : []));
    if (undefinedArgs.length > 0) job.undefinedArgs = undefinedArgs;
    if (spec.operation !== undefined) job.operation = spec.operation;
    if (spec.timeout !== undefined) job.timeout = spec.timeout;
    const traceparent = toTraceparent(this.#telemetry.contextFor(spec.name));
    if (traceparent !== undefined) job.traceparent = traceparent;
    this.#journal.job(job);
  }

  async #finish(): Promise<void> {
    this.#clearTimers();
    const keys = this.#o.keys;
    const run = this.#keys;
    const log = this.#scheduler.log;
    // The run's own keys in one transaction (one slot), then the lists (their own slots on a
    // cluster). A crash between the two leaves the run listed as active: the next manager to take it
    // over replays it, finds it finished and ends here again.
    await this.#o.redis
      .multi()
      .hset(run.meta, {
        status: log.status,
        finishedAt: String(log.timeAt(log.length - 1)),
      })
      .expire(run.meta, FINISHED_RUN_TTL_S)
      .expire(run.events, FINISHED_RUN_TTL_S)
      .expire(run.inputs, FINISHED_RUN_TTL_S)
      .expire(run.mail, FINISHED_RUN_TTL_S)
      .expire(run.done, FINISHED_RUN_TTL_S)
      .expire(run.deliveries, FINISHED_RUN_TTL_S)
      .expire(run.stopped, FINISHED_RUN_TTL_S)
      .exec();
    await Promise.all([
      this.#o.redis.srem(keys.active, this.runId),
      // Runs older than the keys' time to live have no record left: drop them from the list too.
      this.#o.redis.zremrangebyscore(keys.runs, '-inf', Date.now() - FINISHED_RUN_TTL_S * 1000),
    ]);
    await this.#lease.release();
  }
}
