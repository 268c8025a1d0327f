import type { Tracer } from '@opentelemetry/api';
import type { Queue } from 'bullmq';
import { resolveArguments } from '../core/arguments.js';
import { systemClock } from '../core/clock.js';
import { type RunEvent, toErrorInfo } from '../core/events.js';
import type { SequenceGraph } from '../core/graph.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { type RunRecord, runRecordFromEvents } from '../core/run-record.js';
import { type RunReuse, RunScheduler, START_SLICE } from '../core/scheduler.js';
import { RunTelemetry } from '../core/telemetry.js';
import type { ResolvedOptions } from '../core/types.js';
import { toWireEvent } from '../core/wire-value.js';
import { isCluster, type RedisClient } from './connection.js';
import { FailureEpisode, logFailure, pause } from './failures.js';
import type { InputsReader, StreamEntries } from './inputs-reader.js';
import { attemptJobId, eventsOfEntries, type KeySpace } from './keys.js';
import type { LocalRun, LocalRuns, WorkerInput } from './local-runs.js';
import { sendMail } from './mail.js';
import { attemptField, errorFromInfo, type LayerJobData, type RunInput } from './protocol.js';
import { RELEASE_LEASE, TAKE_LEASE, WRITE_RUN } from './scripts.js';
import { toTraceparent } from './trace-context.js';

/** The most events one flush writes; more wait for the next flush. */
const FLUSH_EVENTS = 8192;

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
 * Seconds a finished job's record is kept. While it exists, adding the same
 * attempt again (deterministic job id) is ignored by BullMQ: that is what
 * keeps an attempt from running twice when a coordinator takes a run over, or
 * wakes up after stalling past its lease.
 */
export const COMPLETED_JOB_RETENTION_S = 24 * 3600;

/** The id of the n-th entry of a run's inputs log (`0-0`: before the first). */
const logId = (n: number): string => `${n}-0`;

/** One entry of the run's inputs log, waiting to be written. */
interface LogEntry {
  id: string;
  input: string;
  /** The mail entry it came from, if any. */
  mail: string;
  /** The `done` field of an outcome, if it is one. */
  done: string | undefined;
}

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
 * already recorded are not written again.
 */
export class RunCoordinator implements LocalRun {
  readonly runId: string;
  readonly #o: CoordinatorOptions;
  readonly #keys: ReturnType<KeySpace['run']>;
  readonly #scheduler: RunScheduler;
  /** Events read back from the stream when this coordinator took the run over. */
  #replayed: readonly RunEvent[] = [];
  readonly #telemetry: RunTelemetry;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #recordedEvents = 0;
  #replaying = false;
  #pendingEvents: RunEvent[] = [];
  #pendingJobs: LayerJobData[] = [];
  #pendingLog: LogEntry[] = [];
  /** Outcomes handed over in this process, waiting for the flush that logs them. */
  #localWaiters: ((logged: boolean) => void)[] = [];
  #flushChain: Promise<void> = Promise.resolve();
  #stopRequested = false;
  /** Entries in the inputs log, those still to be written included. */
  #logged = 0;
  /** Entries in the inputs log known written. */
  #written = 0;
  #lastMailId = '0-0';
  #leaseUntil = 0;
  /** Ends the wait for mail when the run finished through an input that did not come by mail. */
  #wake: (() => void) | undefined;
  #leaseTimer: ReturnType<typeof setInterval> | undefined;
  #lostLease = false;
  /** A slice is owed (the scheduler held ready layers back), and one is on its way. */
  #sliceWanted = false;
  #slicePending = false;
  /** One log line when each of these starts failing, one when it works again. */
  readonly #failures: Record<'lease' | 'mail' | 'flush', FailureEpisode>;

  constructor(options: CoordinatorOptions) {
    this.#o = options;
    this.runId = options.runId;
    const run = { run: options.runId };
    this.#failures = {
      lease: new FailureEpisode(options.logger, 'renewing the run’s lease', run),
      mail: new FailureEpisode(options.logger, 'reading the run’s mail', run),
      flush: new FailureEpisode(options.logger, 'writing the run’s log, events and next jobs', run),
    };
    this.#keys = options.keys.run(options.runId);
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
      void this.#flushChain.then(() => setImmediate(() => this.#nextSlice()));
    });
  }

  #nextSlice(): void {
    this.#slicePending = false;
    if (!this.#sliceWanted || this.#stopRequested || this.#lostLease) return;
    if (this.#scheduler.finished) return;
    const input: RunInput = { k: 'slice' };
    this.#log(input, JSON.stringify(input), '');
    this.#scheduleFlush();
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
    if (event.seq < this.#recordedEvents) return;
    this.#pendingEvents.push(event);
    this.#telemetry.onEvent(event);
    this.#o.onEvent?.(event);
  }

  /** Takes the run (`renew` false) or renews this coordinator's hold on it. */
  async #takeLease(renew: boolean): Promise<boolean> {
    const leaseMs = this.#o.leaseMs ?? 5000;
    const sentAt = performance.now();
    const taken = await this.#o.redis.eval(
      TAKE_LEASE,
      2,
      this.#keys.lease,
      this.#keys.inputs,
      this.#o.owner,
      String(leaseMs),
      renew ? logId(this.#written) : '',
    );
    // Redis set the lease's time to live after `sentAt`, so it is ours at least until then.
    if (taken === 1) this.#leaseUntil = sentAt + leaseMs;
    return taken === 1;
  }

  /** Whether the lease is surely still ours: renewed recently enough that it cannot have lapsed. */
  #leaseHeld(): boolean {
    const leaseMs = this.#o.leaseMs ?? 5000;
    return performance.now() < this.#leaseUntil - leaseMs / 5;
  }

  #holdLease(): void {
    const every = Math.max(250, Math.floor((this.#o.leaseMs ?? 5000) / 3));
    this.#leaseTimer = setInterval(() => {
      this.#takeLease(true).then(
        (held) => {
          this.#failures.lease.succeeded();
          if (held) return;
          this.#lostLease = true;
          this.#wake?.();
        },
        // Tried again at the next tick; a lease that lapses meanwhile is taken over elsewhere.
        (error: unknown) => void this.#failures.lease.failed(error),
      );
    }, every);
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
    if (!(await this.#takeLease(false)))
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
    this.#holdLease();
    this.#o.localRuns?.add(this.#o.keys.prefix, this.runId, this);
    this.#startAll(this.#scheduler.start());
    await this.#firstFlush();
  }

  /** A flush whose failure its caller sees; later flushes (slices among them) queue behind it. */
  #firstFlush(): Promise<void> {
    const flushed = this.#flush();
    // Not logged here: the caller gets the failure (`begin` rejects, `resume` is logged by its manager).
    this.#flushChain = flushed.catch(() => {});
    return flushed;
  }

  /** Takes over a run another coordinator left: replays its inputs, re-enqueues running attempts, follows it. */
  async resume(): Promise<boolean> {
    if (!(await this.#takeLease(false))) return false;
    this.#holdLease();
    const existing = eventsOfEntries<RunEvent>(
      await this.#o.redis.xrange(this.#keys.events, '-', '+'),
    );
    this.#recordedEvents = existing.length;
    this.#replayed = existing;
    for (const event of existing) this.#o.onEvent?.(event);
    this.#replaying = true;
    this.#startAll(this.#scheduler.start());
    const log = await this.#o.redis.xrange(this.#keys.inputs, '-', '+');
    for (const [id, fields] of log) {
      this.#apply(JSON.parse(fields[1] as string) as RunInput);
      this.#logged = Number.parseInt(id, 10);
      this.#written = this.#logged;
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
    await this.#firstFlush();
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
    await this.#o.redis
      .eval(RELEASE_LEASE, 1, this.#keys.lease, this.#o.owner)
      .catch((error: unknown) => this.#leaseNotReleased(error));
  }

  #leaseNotReleased(error: unknown): void {
    logFailure(
      this.#o.logger ?? silentLogger,
      'releasing the run’s lease',
      { run: this.runId, key: this.#keys.lease },
      error,
      `it lapses by itself within ${this.#o.leaseMs ?? 5000} ms`,
    );
  }

  recordFromWorker(input: WorkerInput): Promise<boolean> {
    if (this.#stopRequested || this.#lostLease || this.#scheduler.finished)
      return Promise.resolve(false);
    this.#log(input, JSON.stringify(input), '');
    const logged = new Promise<boolean>((resolve) => this.#localWaiters.push(resolve));
    this.#scheduleFlush();
    return logged;
  }

  /** Applies an input and queues it for the log. */
  #log(input: RunInput, text: string, mailId: string): void {
    this.#apply(input);
    this.#logged++;
    this.#pendingLog.push({
      id: logId(this.#logged),
      input: text,
      mail: mailId,
      done: input.k === 'outcome' ? attemptField(input.layer, input.attempt) : undefined,
    });
    if (this.#scheduler.finished) this.#wake?.();
  }

  /** No more local hand-overs: waiting workers send their outcomes by mail instead. */
  #release(): void {
    this.#o.localRuns?.delete(this.#o.keys.prefix, this.runId, this);
    const waiters = this.#localWaiters;
    this.#localWaiters = [];
    for (const resolve of waiters) resolve(false);
  }

  #clearTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    if (this.#leaseTimer) clearInterval(this.#leaseTimer);
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
        await pause(this.#failures.mail.failed(error));
        continue;
      }
      this.#failures.mail.succeeded();
      if (!batch) continue;
      for (const [id, fields] of batch) {
        const text = fields[1] as string;
        this.#log(JSON.parse(text) as RunInput, text, id);
        this.#lastMailId = id;
      }
      // Not awaited: the next inputs are read while this flush is on its way.
      this.#scheduleFlush();
    }
    await this.#flushChain;
    if (this.#scheduler.finished && !this.#lostLease && !this.#stopRequested) await this.#finish();
    // Lost or detached: stop renewing the lease (and retry timers), or this process would hold the run forever.
    else this.#clearTimers();
    this.#release();
  }

  /**
   * Flushes run one after another, never side by side: a flush that fails is
   * repeated before any later one, so event entries reach Redis in order
   * (their ids only grow). Flushes scheduled while one is on its way are
   * taken together by the next.
   */
  #scheduleFlush(): void {
    this.#flushChain = this.#flushChain.then(() => this.#flushWithRetry());
  }

  async #flushWithRetry(): Promise<void> {
    for (;;) {
      try {
        await this.#flush();
        this.#failures.flush.succeeded();
        return;
      } catch (error) {
        if (this.#stopRequested) return;
        await pause(this.#failures.flush.failed(error));
      }
    }
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
      this.#scheduleFlush();
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
    this.#pendingJobs.push(job);
  }

  /** Writes what was applied since the last flush: log entries and events, then jobs. */
  async #flush(): Promise<void> {
    const log = this.#pendingLog;
    const jobs = this.#pendingJobs;
    const waiters = this.#localWaiters;
    if (log.length === 0 && this.#pendingEvents.length === 0 && jobs.length === 0) return;
    // Taken now: what is recorded while this flush is on its way belongs to the next one. A wide
    // start records many events at once (100,000 `layer:queued`): they go in several writes, so
    // none holds the event loop long; the inputs stream keeps the run whole meanwhile.
    let events = this.#pendingEvents;
    const more = events.length > FLUSH_EVENTS;
    if (more) {
      this.#pendingEvents = events.slice(FLUSH_EVENTS);
      events = events.slice(0, FLUSH_EVENTS);
    } else this.#pendingEvents = [];
    this.#pendingLog = [];
    this.#pendingJobs = [];
    this.#localWaiters = [];
    let told = false;
    const tell = (logged: boolean): void => {
      if (told) return;
      told = true;
      for (const resolve of waiters) resolve(logged);
    };
    let written: boolean;
    try {
      written = await this.#write(log, events, jobs, () => tell(true));
    } catch (error) {
      this.#pendingLog = log.concat(this.#pendingLog);
      this.#pendingEvents = events.concat(this.#pendingEvents);
      this.#pendingJobs = jobs.concat(this.#pendingJobs);
      if (!told) this.#localWaiters = waiters.concat(this.#localWaiters);
      throw error;
    }
    tell(written);
    // Behind this flush in the chain, never beside it.
    if (more && written) this.#scheduleFlush();
  }

  /**
   * Writes the log entries and events (atomically, under the lease), then
   * queues the jobs; `logged` is called once the entries are in the log.
   * Returns false, having queued nothing, when another coordinator holds the
   * run now.
   */
  async #write(
    log: LogEntry[],
    events: RunEvent[],
    jobs: LayerJobData[],
    logged: () => void,
  ): Promise<boolean> {
    if (log.length === 0 && events.length === 0) return this.#queue(events, jobs);
    const lastEntry = log[log.length - 1];
    const args: string[] = [
      this.#o.owner,
      logId(this.#written),
      lastEntry ? lastEntry.id : logId(this.#written),
      String(log.length),
    ];
    for (const entry of log) args.push(entry.id, entry.input, entry.mail);
    const last = events[events.length - 1];
    // One events entry per flush, with an explicit, increasing id (last seq + 1): writing the same
    // events again is refused by Redis, so a repeated flush or a replay cannot duplicate them.
    // Arguments cross as JSON, each value capped: the stream is read by servers, studios and reruns.
    if (last) args.push(`${last.seq + 1}-0`, JSON.stringify(events.map(toWireEvent)));
    else args.push('', '');
    for (const entry of log) if (entry.done !== undefined) args.push(entry.done);
    // Written on the queue's own connection, as EVAL (never retried as another command), so Redis
    // applies it before any job this flush queues behind it on that connection.
    const logWrite = this.#o.queueConnection.eval(
      WRITE_RUN,
      4,
      this.#keys.lease,
      this.#keys.inputs,
      this.#keys.events,
      this.#keys.done,
      ...args,
    );
    // Not on a cluster: the jobs would go to another node than the log write, and could be applied
    // without it should this process die in between — jobs for decisions no log holds.
    if (this.#leaseHeld() && !isCluster(this.#o.queueConnection)) {
      // Nobody else can write the run until the lease lapses: the jobs go out right behind the log
      // write instead of a round trip later, and workers may finish the jobs whose outcomes it logs
      // as soon as it is applied.
      const queued = this.#queue(events, jobs);
      let written: unknown;
      try {
        written = await logWrite;
      } catch (error) {
        // Waited for, not reported: the flush fails with the log write's error and is repeated whole.
        await queued.catch(() => {});
        throw error;
      }
      if (!this.#logWritten(written, last, lastEntry)) return false;
      logged();
      return queued;
    }
    if (!this.#logWritten(await logWrite, last, lastEntry)) return false;
    const queued = this.#queue(events, jobs);
    // The outcomes are logged, so their workers may finish their jobs — a turn of the event loop
    // later, once the jobs admitted here are on the wire: BullMQ's fetch as each job finishes then
    // finds the next ones instead of waking an idle slot for them.
    setImmediate(logged);
    return queued;
  }

  /** Takes in the answer of a log write: false when another coordinator holds the run now. */
  #logWritten(
    written: unknown,
    last: RunEvent | undefined,
    lastEntry: LogEntry | undefined,
  ): boolean {
    if (written !== 1) {
      this.#lostLease = true;
      this.#wake?.();
      return false;
    }
    if (last) this.#recordedEvents = last.seq + 1;
    if (lastEntry) this.#written = Number.parseInt(lastEntry.id, 10);
    return true;
  }

  /** Queues the admitted attempts; stop signals go out when the run stopped. */
  async #queue(events: RunEvent[], jobs: LayerJobData[]): Promise<true> {
    const writes: Promise<unknown>[] = [];
    const cancelled: string[] = [];
    let stopped = false;
    for (const event of events) {
      if (event.type === 'run:finished') stopped = true;
      if (event.type === 'layer:failed' && event.cancelled) {
        stopped = true;
        const layer = this.#o.graph.indexOf.get(event.layer);
        if (layer !== undefined) cancelled.push(attemptJobId(this.runId, layer, event.attempt));
      }
    }
    if (stopped) {
      writes.push(
        this.#o.redis
          .pipeline()
          .set(this.#keys.stopped, '1')
          .publish(this.#o.keys.cancelChannel, this.runId)
          .exec(),
      );
    }
    if (jobs.length > 0) {
      writes.push(
        this.#o.queue.addBulk(
          jobs.map((data) => ({
            name: data.name,
            data,
            opts: {
              jobId: attemptJobId(data.runId, data.layer, data.attempt),
              removeOnComplete: { age: COMPLETED_JOB_RETENTION_S },
              removeOnFail: { age: COMPLETED_JOB_RETENTION_S },
            },
          })),
        ),
      );
    }
    // Idempotent (deterministic job ids): a failed flush is simply repeated.
    await Promise.all(writes);
    // Jobs of cancelled attempts still waiting are taken out; running ones were told through the channel.
    for (const jobId of cancelled)
      await this.#o.queue
        .remove(jobId)
        .catch((error: unknown) =>
          logFailure(
            this.#o.logger ?? silentLogger,
            'removing a cancelled attempt’s waiting job',
            { run: this.runId, key: jobId },
            error,
            'a worker that takes it finds the run stopped and skips it',
          ),
        );
    return true;
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
    await this.#o.redis
      .eval(RELEASE_LEASE, 1, run.lease, this.#o.owner)
      .catch((error: unknown) => this.#leaseNotReleased(error));
  }
}
